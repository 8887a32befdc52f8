// The URN a post link names. LinkedIn's per-post analytics take a share or
// ugcPost URN; a link may instead name the feed activity that shows the
// post, and LinkedIn offers no public call that maps an activity to its
// share or ugcPost.

export type PostReference =
  | { kind: "share" | "ugcPost"; urn: string }
  | { kind: "activity"; urn: string }
  | { kind: "none" };

const URN_IN_LINK =
  /urn(?::|%3A)li(?::|%3A)(share|ugcPost|activity)(?::|%3A)(\d{1,25})/i;

/** Reads the share, ugcPost or activity URN in a post link. */
export function postReferenceOf(link: string): PostReference {
  const match = URN_IN_LINK.exec(link);
  if (!match?.[1] || !match[2]) return { kind: "none" };
  const lower = match[1].toLowerCase();
  let kind: "share" | "ugcPost" | "activity" = "activity";
  if (lower === "ugcpost") kind = "ugcPost";
  if (lower === "share") kind = "share";
  return { kind, urn: `urn:li:${kind}:${match[2]}` };
}

/** True for the URNs LinkedIn's per-post analytics accept. */
export function isAnalyticsPostUrn(urn: string): boolean {
  return /^urn:li:(share|ugcPost):\d{1,25}$/.test(urn);
}
