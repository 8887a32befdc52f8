import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { authorize } from "@/lib/auth/permissions";
import {
  currentWorkspace,
  getSessionUser,
  signInRedirectPath,
} from "@/lib/auth/session";
import { CONNECT_SCOPES } from "@/lib/connections/connect";
import { db } from "@/lib/db/client";
import { SCOPES } from "@/lib/linkedin/scopes";
import { ANALYTICS_CONSENT } from "@/lib/privacy/consent";
import { Card } from "@/components/ui/card";
import { ConsentForm } from "./consent-form";

export const metadata: Metadata = { title: "Connect LinkedIn analytics" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ scope?: string }> };

export default async function ConnectPage({ searchParams }: Props) {
  const user = await getSessionUser();
  if (!user) redirect(await signInRedirectPath());
  const workspace = await currentWorkspace(user.id);
  if (!workspace) redirect("/welcome");
  await authorize(db(), user.id, workspace.id, "connections.connect");
  const { scope } = await searchParams;
  const missingScope = (CONNECT_SCOPES as readonly string[]).includes(
    scope ?? "",
  )
    ? scope
    : undefined;

  return (
    <Card className="mx-auto max-w-2xl space-y-5 p-6">
      <h1 className="text-2xl font-semibold">Connect LinkedIn analytics</h1>
      {missingScope ? (
        <p role="status" className="rounded-md bg-surface-muted p-3 text-sm">
          LinkedIn did not grant <code>{missingScope}</code> last time. This
          authorization asks for it again together with the scopes you already
          granted, so nothing you have now is lost.
        </p>
      ) : null}
      <div className="space-y-3 text-sm leading-relaxed">
        {ANALYTICS_CONSENT.text.split("\n\n").map((paragraph) => (
          <p key={paragraph}>{paragraph}</p>
        ))}
      </div>
      <section aria-labelledby="requested-scopes" className="space-y-2">
        <h2 id="requested-scopes" className="font-medium">
          LinkedIn scopes Inview will request
        </h2>
        <ul className="space-y-1 text-sm">
          {CONNECT_SCOPES.map((scope) => (
            <li key={scope}>
              <code className="rounded bg-surface-muted px-1">{scope}</code>:{" "}
              {SCOPES[scope].description}
            </li>
          ))}
        </ul>
        <p className="text-xs text-muted">
          LinkedIn may grant fewer scopes than requested; Inview records what
          was granted and shows metrics it cannot collect as unavailable.
        </p>
      </section>
      <p className="text-xs text-muted">
        Consent version {ANALYTICS_CONSENT.version}, for the workspace “
        {workspace.name}”.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <ConsentForm
          workspaceId={workspace.id}
          consentVersion={ANALYTICS_CONSENT.version}
          scope={missingScope}
        />
        <Link
          href="/connections"
          className="text-sm underline-offset-2 hover:underline"
        >
          Not now
        </Link>
      </div>
    </Card>
  );
}
