"use client";

import Link from "next/link";

import { useLocale } from "@/app/providers";
import { PostTrendChart } from "@/components/post-trend-chart";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDay, formatNumber, NO_VALUE } from "@/lib/format";
import {
  POST_TREND_METRICS,
  POST_TREND_RANGES,
  type PostTrend,
  type PostTrendRange,
} from "@/lib/posts/trend-types";

const RANGE_LABELS: Record<PostTrendRange, string> = {
  all: "Since publication",
  "7": "Last 7 days",
  "28": "Last 28 days",
  "90": "Last 90 days",
};

function formatFetchedAt(iso: string | null): string {
  if (!iso) return "nothing stored in this range";
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

function hrefFor(trend: PostTrend, range: PostTrendRange): string {
  const query = new URLSearchParams({ url: trend.post.url });
  if (range !== "all") query.set("range", range);
  return `/dashboard/posts/${trend.post.connectionId}?${query.toString()}`;
}

/** Renders one post's daily trend, or the reason it has none. */
export function PostTrendView({
  trend,
  range,
}: {
  trend: PostTrend;
  range: PostTrendRange;
}) {
  const locale = useLocale();
  const { post, availability } = trend;
  const title = post.title ?? post.url;
  const number = (value: number | null) =>
    value === null ? NO_VALUE : formatNumber(value, locale);

  // Post links and URNs are long unbroken words; without breaking anywhere
  // they widen the page past a phone's screen.
  return (
    <div className="min-w-0 space-y-4 [overflow-wrap:anywhere]">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/dashboard" className="underline">
          Dashboard
        </Link>{" "}
        / Post
      </nav>
      <header className="space-y-1">
        <h1 className="text-xl font-semibold">{title}</h1>
        <p className="text-sm text-muted">
          {post.publishedOn
            ? `Published ${formatDay(post.publishedOn, locale, "long")}`
            : "Publication day unknown"}
          , imported from {post.fileName}
          {trend.apiConnection
            ? `, daily numbers through ${trend.apiConnection.name}`
            : ""}
          .
        </p>
        <p className="text-sm">
          <a
            href={post.url}
            rel="noreferrer noopener"
            target="_blank"
            className="underline"
          >
            Open the post on LinkedIn
            <span className="sr-only"> (opens in a new tab)</span>
          </a>
        </p>
      </header>

      <section aria-labelledby="imported-heading" className="space-y-2">
        <h2 id="imported-heading" className="text-base font-semibold">
          Imported totals
        </h2>
        <dl
          data-testid="imported-totals"
          className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4"
        >
          {POST_TREND_METRICS.map((metric) => (
            <div
              key={metric}
              className="rounded-md border border-border px-3 py-2"
            >
              <dt className="text-xs text-muted capitalize">{metric}</dt>
              <dd className="tabular-nums">{number(post.totals[metric])}</dd>
            </div>
          ))}
        </dl>
        <p className="text-xs text-muted">
          Over the range of the export file; LinkedIn&apos;s member export gives
          only impressions and engagements per post.
        </p>
      </section>

      <section aria-labelledby="trend-heading" className="space-y-3">
        <h2 id="trend-heading" className="text-base font-semibold">
          Daily trend
        </h2>
        {availability.kind === "unavailable" ? (
          <EmptyState title="No daily trend for this post" headingLevel={3}>
            <p data-testid="trend-unavailable">{availability.reason}</p>
            <p className="mt-2">{availability.fix}</p>
          </EmptyState>
        ) : availability.kind === "pending" ? (
          <EmptyState title="No daily numbers yet" headingLevel={3}>
            <p data-testid="trend-pending">{availability.reason}</p>
          </EmptyState>
        ) : (
          <TrendBody trend={trend} range={range} locale={locale} />
        )}
      </section>
    </div>
  );
}

function TrendBody({
  trend,
  range,
  locale,
}: {
  trend: PostTrend;
  range: PostTrendRange;
  locale: string;
}) {
  const number = (value: number | null) =>
    value === null ? NO_VALUE : formatNumber(value, locale);
  return (
    <>
      <nav aria-label="Date range" className="flex flex-wrap gap-2 text-sm">
        {POST_TREND_RANGES.map((choice) => (
          <Link
            key={choice}
            href={hrefFor(trend, choice)}
            aria-current={choice === range ? "page" : undefined}
            className={
              choice === range
                ? "rounded-md bg-accent px-2 py-1 text-accent-foreground"
                : "rounded-md border border-border px-2 py-1"
            }
          >
            {RANGE_LABELS[choice]}
          </Link>
        ))}
      </nav>
      <p className="text-xs text-muted" data-testid="trend-source">
        Source: LinkedIn API {trend.source.endpoint}, version{" "}
        {trend.source.version}; fetched{" "}
        {formatFetchedAt(trend.source.fetchedAt)}.
        {trend.range
          ? ` Days ${formatDay(trend.range.from, locale, "long")} to ${formatDay(trend.range.to, locale, "long")}.`
          : ""}
      </p>
      {trend.days.length === 0 ? (
        <EmptyState title="No days stored in this range" headingLevel={3}>
          Pick a longer range.
        </EmptyState>
      ) : (
        <>
          <div className="grid gap-3 md:grid-cols-2">
            {trend.series.map((series) => (
              <figure
                key={series.metric}
                className="min-w-0 rounded-lg border border-border p-3"
              >
                <figcaption className="flex items-baseline justify-between text-sm">
                  <span className="font-medium">{series.label}</span>
                  <span
                    className="tabular-nums"
                    data-testid={`trend-total-${series.metric}`}
                  >
                    {formatNumber(series.total, locale)} in total
                  </span>
                </figcaption>
                <PostTrendChart
                  label={series.label}
                  locale={locale}
                  points={trend.days.map((day) => ({
                    day: day.day,
                    value: day.values[series.metric],
                  }))}
                />
              </figure>
            ))}
          </div>
          <div
            role="region"
            aria-labelledby="trend-table-caption"
            tabIndex={0}
            className="max-h-96 overflow-auto rounded-lg border border-border"
          >
            <table
              className="w-full text-left text-sm tabular-nums"
              data-testid="trend-table"
            >
              <caption id="trend-table-caption" className="sr-only">
                Daily numbers of the post
              </caption>
              <thead className="sticky top-0 bg-surface-muted text-xs text-muted">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Day
                  </th>
                  {trend.series.map((series) => (
                    <th
                      key={series.metric}
                      scope="col"
                      className="px-3 py-2 text-right font-medium"
                    >
                      {series.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {trend.days.map((day) => (
                  <tr key={day.day} className="border-t border-border">
                    <th scope="row" className="px-3 py-1 font-normal">
                      <time dateTime={day.day}>{day.day}</time>
                    </th>
                    {trend.series.map((series) => (
                      <td key={series.metric} className="px-3 py-1 text-right">
                        {number(day.values[series.metric])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
