// Names in words for each table's rows, shown on the privacy page. The
// signed receipt and its JSON download keep the table names.

import { formatNumber } from "../format";

const ROW_NAMES: Record<string, [singular: string, plural: string]> = {
  connection_monthly_sums: ["monthly metric sum", "monthly metric sums"],
  workspace_daily_sums: [
    "daily metric sum of a workspace",
    "daily metric sums of workspaces",
  ],
  metric_daily: ["daily metric value", "daily metric values"],
  post_metric_daily: ["daily value of a post", "daily values of posts"],
  metric_range_totals: ["members-reached total", "members-reached totals"],
  metric_gaps: ["record of days without data", "records of days without data"],
  api_calls: ["record of a call to LinkedIn", "records of calls to LinkedIn"],
  imports: ["imported file", "imported files"],
  imported_posts: ["imported post", "imported posts"],
  imported_subjects: [
    "imported profile or page",
    "imported profiles and pages",
  ],
  unavailable_metrics: [
    "note of a metric LinkedIn refused",
    "notes of metrics LinkedIn refused",
  ],
  connection_health: ["connection error record", "connection error records"],
  sync_checkpoints: ["sync checkpoint", "sync checkpoints"],
  linkedin_connections: [
    "connected profile or page",
    "connected profiles and pages",
  ],
  linkedin_grants: ["LinkedIn authorization", "LinkedIn authorizations"],
  consents: ["consent record", "consent records"],
  audit_events: ["audit log entry", "audit log entries"],
  invitations: ["invitation", "invitations"],
  rate_limits: ["request limit counter", "request limit counters"],
  memberships: ["workspace membership", "workspace memberships"],
  sessions: ["signed-in device", "signed-in devices"],
  accounts: ["LinkedIn sign-in account", "LinkedIn sign-in accounts"],
  verification_tokens: ["email sign-in link", "email sign-in links"],
  users: ["profile", "profiles"],
  workspaces: ["workspace", "workspaces"],
  workspace_settings: ["workspace setting", "workspace settings"],
  workspace_export_settings: [
    "workspace export setting",
    "workspace export settings",
  ],
};

/** Picks the singular or plural form for an English count. */
export function plural(
  count: number,
  singular: string,
  pluralForm: string,
): string {
  return `${formatNumber(count, "en-US")} ${count === 1 ? singular : pluralForm}`;
}

/** Describes `count` rows of `table`, for example "4,008 daily metric values". */
export function describeRows(table: string, count: number): string {
  const names = ROW_NAMES[table];
  if (!names) return plural(count, `row of ${table}`, `rows of ${table}`);
  return plural(count, names[0], names[1]);
}

/** Lists the tables with rows removed, in words, leaving out zero counts. */
export function describeRemoved(
  counts: Record<string, number>,
): { table: string; text: string }[] {
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([table, count]) => ({ table, text: describeRows(table, count) }));
}
