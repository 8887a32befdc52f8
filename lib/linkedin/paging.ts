// Choosing the next page request of a LinkedIn collection.

export type PageRequest = { path: string; query: string };

export type CollectionPage = {
  elements: readonly unknown[];
  paging?: {
    start?: number;
    count?: number;
    total?: number;
    links?: ReadonlyArray<{ rel: string; href: string }>;
  };
  metadata?: { nextPageToken?: string | null };
};

/**
 * Returns the request for the page after `page`, or null at the end.
 * Preference: a rel=next link, then `metadata.nextPageToken` (sent as
 * `pageToken` on the first query), then start/count while the page was full.
 * A next link must stay on the origin of `apiBase`, because the bearer token
 * goes with it. An absolute link that repeats the path of `apiBase` has that
 * prefix removed, since the client prepends `apiBase` to every path.
 */
export function nextPageQuery(
  current: PageRequest,
  firstQuery: string,
  page: CollectionPage,
  apiBase: string,
): PageRequest | null {
  const next = page.paging?.links?.find((link) => link.rel === "next");
  if (next) {
    return requestFromHref(next.href, new URL(apiBase));
  }

  const token = page.metadata?.nextPageToken;
  if (token) {
    return {
      path: current.path,
      query: setParams(firstQuery, { pageToken: encodeURIComponent(token) }),
    };
  }

  return nextOffsetRequest(current, page.elements.length, page.paging);
}

function nextOffsetRequest(
  current: PageRequest,
  received: number,
  paging: CollectionPage["paging"],
): PageRequest | null {
  const count = paging?.count;
  if (paging === undefined || !count || received < count) {
    return null;
  }
  const start = (paging.start ?? 0) + received;
  if (paging.total !== undefined && start >= paging.total) {
    return null;
  }
  return {
    path: current.path,
    query: setParams(current.query, {
      start: String(start),
      count: String(count),
    }),
  };
}

function requestFromHref(href: string, base: URL): PageRequest {
  const url = new URL(href, base.origin);
  if (url.origin !== base.origin) {
    throw new Error(
      `Refusing to follow a next-page link to ${url.origin}: only ${base.origin} receives the access token`,
    );
  }
  const prefix = base.pathname.replace(/\/+$/, "");
  const path =
    prefix && url.pathname.startsWith(`${prefix}/`)
      ? url.pathname.slice(prefix.length)
      : url.pathname;
  return { path, query: url.search.replace(/^\?/, "") };
}

/** Replaces or appends parameters of an encoded query, keeping the order. */
export function setParams(
  query: string,
  encodedValues: Readonly<Record<string, string>>,
): string {
  const remaining = query
    .split("&")
    .filter((pair) => pair !== "")
    .filter((pair) => !(decodeKey(pair) in encodedValues));
  const added = Object.entries(encodedValues).map(
    ([key, value]) => `${encodeURIComponent(key)}=${value}`,
  );
  return [...remaining, ...added].join("&");
}

function decodeKey(pair: string): string {
  const key = pair.split("=", 1)[0] ?? "";
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}
