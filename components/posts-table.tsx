"use client";

import Link from "next/link";
import { useState } from "react";

import { formatDay, formatNumber, NO_VALUE } from "@/lib/format";
import type { PostRow } from "@/lib/metrics/types";

const SORT_KEYS = [
  ["impressions", "Impressions"],
  ["reactions", "Reactions"],
  ["comments", "Comments"],
  ["reshares", "Reshares"],
  ["engagementRate", "Engagement rate"],
] as const;
type SortKey = (typeof SORT_KEYS)[number][0];

/** Returns the address of the post's own page with its daily trend. */
function postTrendHref(post: PostRow): string {
  const query = new URLSearchParams({ url: post.url });
  return `/dashboard/posts/${post.connectionId}?${query.toString()}`;
}

/** Imported posts, sortable by each number; missing numbers sort last. */
export function PostsTable({
  posts,
  locale,
}: {
  posts: PostRow[];
  locale: string;
}) {
  const [sortKey, setSortKey] = useState<SortKey>("impressions");
  const [descending, setDescending] = useState(true);
  const sorted = [...posts].sort((a, b) => {
    const left = a[sortKey];
    const right = b[sortKey];
    if (left === null) return right === null ? 0 : 1;
    if (right === null) return -1;
    return descending ? right - left : left - right;
  });

  function sortBy(key: SortKey) {
    if (key === sortKey) setDescending((value) => !value);
    else {
      setSortKey(key);
      setDescending(true);
    }
  }

  const format = (key: SortKey, value: number | null) => {
    if (value === null) return NO_VALUE;
    if (key === "engagementRate") {
      return new Intl.NumberFormat(locale, {
        style: "percent",
        maximumFractionDigits: 1,
      }).format(value);
    }
    return formatNumber(value, locale);
  };

  return (
    <div
      role="region"
      aria-labelledby="posts-heading"
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg border border-border"
    >
      <table className="w-full text-left text-sm tabular-nums">
        <thead className="bg-surface-muted text-xs text-muted">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Post
            </th>
            {SORT_KEYS.map(([key, label]) => (
              <th
                key={key}
                scope="col"
                aria-sort={
                  key === sortKey
                    ? descending
                      ? "descending"
                      : "ascending"
                    : "none"
                }
                className="px-3 py-2 text-right font-medium"
              >
                <button
                  type="button"
                  onClick={() => sortBy(key)}
                  className="rounded px-1 hover:text-foreground"
                >
                  {label}
                  <span aria-hidden="true">
                    {key === sortKey ? (descending ? " ▼" : " ▲") : ""}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((post) => (
            <tr
              key={`${post.connectionId}|${post.url}`}
              className="border-t border-border"
            >
              <th scope="row" className="max-w-64 px-3 py-1.5 font-normal">
                <Link
                  href={postTrendHref(post)}
                  className="block truncate underline"
                  data-testid="post-trend-link"
                >
                  {post.title ?? post.url}
                </Link>
                <span className="text-xs text-muted">
                  {post.publishedOn
                    ? formatDay(post.publishedOn, locale, "long")
                    : NO_VALUE}
                  , from {post.fileName},{" "}
                  <a
                    href={post.url}
                    rel="noreferrer noopener"
                    target="_blank"
                    className="underline"
                  >
                    on LinkedIn
                    <span className="sr-only"> (opens in a new tab)</span>
                  </a>
                </span>
              </th>
              {SORT_KEYS.map(([key]) => (
                <td key={key} className="px-3 py-1.5 text-right">
                  {format(key, post[key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
