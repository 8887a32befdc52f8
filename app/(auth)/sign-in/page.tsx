import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signIn } from "@/lib/auth/config";
import { captureSignInFailure, withReason } from "@/lib/auth/sign-in-failure";
import { DEFAULT_RETURN_PATH, safeReturnPath } from "@/lib/auth/return-path";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { Card } from "@/components/ui/card";
import { signInErrorMessage } from "./error-messages";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

async function signInWithLinkedIn(formData: FormData) {
  "use server";
  const next = safeReturnPath(formData.get("next")) ?? DEFAULT_RETURN_PATH;
  // Auth.js sends a failure to start (LinkedIn unreachable) to the sign-in
  // page as "Configuration"; the captured reason names the actual cause.
  const { result, reason } = await captureSignInFailure((): Promise<unknown> =>
    signIn("linkedin", { redirectTo: next, redirect: false }),
  );
  if (typeof result !== "string") {
    throw new Error("Auth.js returned no URL to continue the sign-in");
  }
  redirect(withReason(result, reason));
}

type Props = {
  searchParams: Promise<{ error?: string; reason?: string; next?: string }>;
};

export default async function SignInPage({ searchParams }: Props) {
  const { error, reason, next: requested } = await searchParams;
  const next = safeReturnPath(requested) ?? DEFAULT_RETURN_PATH;
  if (await getSessionUser()) redirect(next);
  const message = signInErrorMessage(error, reason);
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
          <input type="hidden" name="next" value={next} />
          <button
            type="submit"
            className="w-full rounded-md bg-[#0a66c2] px-4 py-2.5 font-medium text-white hover:bg-[#004182] focus-visible:outline-2 focus-visible:outline-offset-2"
          >
            {message ? "Try again with LinkedIn" : "Sign in with LinkedIn"}
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
