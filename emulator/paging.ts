// Rest.li collection paging: `{paging:{start,count,links,total},elements}`.

export type Collection<T> = {
  paging: {
    start: number;
    count: number;
    links: Array<{ rel: string; type: string; href: string }>;
    total: number;
  };
  elements: T[];
};

export type PageRequest = {
  /** Request path and raw query, used to build the `next` link. */
  path: string;
  rawQuery: string;
  start: number | undefined;
  count: number | undefined;
  /** Page size when the request has no `count`; undefined returns all. */
  defaultCount: number | undefined;
  /** Return about half of `count` while more elements exist. */
  shortPages: boolean;
};

function nextHref(request: PageRequest, start: number, count: number) {
  const kept = request.rawQuery
    .split("&")
    .filter((part) => part !== "" && !/^(start|count)=/.test(part));
  kept.push(`start=${start}`, `count=${count}`);
  return `${request.path}?${kept.join("&")}`;
}

/** Cuts one page out of the elements and links the next page, if any. */
export function paginate<T>(
  elements: T[],
  request: PageRequest,
): Collection<T> {
  const start = request.start ?? 0;
  const count = request.count ?? request.defaultCount ?? elements.length;
  const moreAfterFullPage = start + count < elements.length;
  // A short page stops halfway, as LinkedIn's pages sometimes do, so
  // clients must follow the links instead of comparing sizes with count.
  const size =
    request.shortPages && count > 1 && moreAfterFullPage
      ? Math.ceil(count / 2)
      : count;
  const page = elements.slice(start, start + size);

  const links = [];
  const nextStart = start + page.length;
  if (page.length > 0 && nextStart < elements.length) {
    links.push({
      rel: "next",
      type: "application/json",
      href: nextHref(request, nextStart, count),
    });
  }
  return {
    paging: { start, count, links, total: elements.length },
    elements: page,
  };
}
