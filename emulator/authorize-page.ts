// The HTML of the consent screen and of the authorize error page.

import { SCOPE_DESCRIPTIONS } from "./config";
import { escapeHtml } from "./http";
import { DEMO_MEMBERS, fullName } from "./members";

const STYLE = `
body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto;
  padding: 0 1rem; color: #1d2226; }
h1 { font-size: 1.4rem; }
fieldset { border: 1px solid #ccc; border-radius: 8px; margin: 1rem 0; }
label { display: block; padding: 0.4rem 0; }
button { font-size: 1rem; padding: 0.5rem 1.4rem; border-radius: 999px;
  border: 1px solid #0a66c2; margin-right: 0.5rem; cursor: pointer; }
button[value=allow] { background: #0a66c2; color: #fff; }
button[value=cancel] { background: #fff; color: #0a66c2; }
.error { color: #b24020; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

export type ConsentPageInput = {
  requestId: string;
  appName: string;
  scopes: string[];
  /** Shown above the form, such as a reminder to pick a member. */
  error?: string;
};

/** Renders the screen where a tester picks a demo member and allows. */
export function renderConsentPage(input: ConsentPageInput): string {
  const scopeItems = input.scopes
    .map((scope) => {
      const words = SCOPE_DESCRIPTIONS[scope] ?? scope;
      return `<li>${escapeHtml(words)} <small>(${escapeHtml(scope)})</small></li>`;
    })
    .join("\n");
  const memberOptions = DEMO_MEMBERS.map(
    (member) =>
      `<label><input type="radio" name="member" value="${escapeHtml(member.id)}" required> ` +
      `${escapeHtml(fullName(member))} (${escapeHtml(member.email)})</label>`,
  ).join("\n");
  const error = input.error
    ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>`
    : "";

  return layout(
    "Sign in with LinkedIn (emulator)",
    `<h1>${escapeHtml(input.appName)} would like to:</h1>
<ul>${scopeItems}</ul>
${error}
<form method="post" action="/oauth/v2/authorization">
<input type="hidden" name="request_id" value="${escapeHtml(input.requestId)}">
<fieldset><legend>Sign in as</legend>
${memberOptions}
</fieldset>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="cancel" formnovalidate>Cancel</button>
</form>
<p><small>LinkedIn emulator: no real account is used.</small></p>`,
  );
}

/** Renders an error that cannot be sent back to an unverified redirect URI. */
export function renderAuthorizeError(message: string): string {
  return layout(
    "Authorization error",
    `<h1>Authorization error</h1><p class="error" role="alert">${escapeHtml(message)}</p>`,
  );
}
