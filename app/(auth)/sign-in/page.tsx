import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signIn } from "@/lib/auth/config";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

// Auth.js error codes, and LinkedIn's redirect errors, in words a person can act on.
const ERROR_MESSAGES: Record<string, string> = {
  AccessDenied:
    "LinkedIn sign-in was cancelled or not allowed. You can try again.",
  OAuthCallbackError:
    "LinkedIn sent back an error, for example because you cancelled. Try again.",
  OAuthSignin:
    "Could not start the LinkedIn sign-in. Check that LinkedIn is reachable and try again.",
  OAuthAccountNotLinked:
    "This email already belongs to another sign-in. Sign in the way you did before.",
  Configuration:
    "Sign-in failed: LinkedIn could not be reached or rejected the app's settings. Try again in a minute.",
  Verification: "The sign-in link is no longer valid. Start again.",
  Default: "Sign-in failed. Try again.",
};

async function signInWithLinkedIn(formData: FormData) {
  "use server";
  const value = formData.get("next");
  const next = typeof value === "string" ? value : "/dashboard";
  await signIn("linkedin", {
    redirectTo:
      next.startsWith("/") && !next.startsWith("//") ? next : "/dashboard",
  });
}

type Props = { searchParams: Promise<{ error?: string; next?: string }> };

export default async function SignInPage({ searchParams }: Props) {
  if (await getSessionUser()) redirect("/dashboard");
  const { error, next } = await searchParams;
  const message = error
    ? (ERROR_MESSAGES[error] ?? ERROR_MESSAGES.Default)
    : null;
  const emulated = env().linkedin.emulated;

  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <Card className="w-full max-w-sm space-y-5 p-6">
        <div className="space-y-1">
          <h1 className="text-2xl font-semibold">Inview</h1>
          <p className="text-sm text-muted">
            LinkedIn engagement analytics for you and your team.
          </p>
        </div>
        {message ? (
          <p role="alert" className="rounded-md bg-danger-surface p-3 text-sm">
            {message}
          </p>
        ) : null}
        <form action={signInWithLinkedIn}>
          <input type="hidden" name="next" value={next ?? "/dashboard"} />
          <button
            type="submit"
            className="w-full rounded-md bg-[#0a66c2] px-4 py-2.5 font-medium text-white hover:bg-[#004182] focus-visible:outline-2 focus-visible:outline-offset-2"
          >
            Sign in with LinkedIn
          </button>
        </form>
        <p className="text-xs text-muted">
          Signing in shares only your name, photo and email with Inview (scopes
          openid, profile and email). Analytics are connected separately, after
          you agree to what is collected.
        </p>
        {emulated ? (
          <p className="border-t border-border pt-3 text-xs text-muted">
            Running against the local LinkedIn emulator: pick a demo member on
            the next screen.
          </p>
        ) : null}
      </Card>
    </main>
  );
}
