"use client";

import {
  keepPreviousData,
  useQuery,
  useQueryClient,
  type UseQueryResult,
} from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useSyncExternalStore } from "react";

import { useLocale } from "@/app/providers";
import { BreakdownTable } from "@/components/breakdown-table";
import { MetricChart } from "@/components/charts/metric-chart";
import { KeyboardShortcuts } from "@/components/keyboard-shortcuts";
import { KpiCard } from "@/components/kpi-card";
import { StaleDataNotice } from "@/components/stale-data-notice";
import { ViewProblems } from "@/components/view-problems";
import { PostsTable } from "@/components/posts-table";
import { Button, buttonClassName } from "@/components/ui/button";
import { classNames } from "@/components/ui/class-names";
import { EmptyState } from "@/components/ui/empty-state";
import { Spinner } from "@/components/ui/spinner";
import { ViewControls, ViewFilters } from "@/components/view-controls";
import { ACCOUNT_QUERY_KEY } from "@/lib/auth/account-query";
import { formatDay, formatDayRange, formatUtcTime } from "@/lib/format";
import { addDays } from "@/lib/linkedin/days";
import { staleData } from "@/lib/metrics/freshness";
import { unpackDashboard } from "@/lib/metrics/series-wire";
import { DAILY_METRICS } from "@/lib/metrics/registry";
import type {
  ConnectionSummary,
  DashboardData,
  DashboardSummary,
  MetricSeries,
} from "@/lib/metrics/types";
import type { DayRange, IsoDay } from "@/lib/metrics/types";
import {
  comparisonRange,
  COMPARISON_LABELS,
  resolveRange,
  describeUnknownConnections,
  describeViewProblems,
  parseViewParams,
  RANGE_LABELS,
  usableView,
  viewToParams,
  type DashboardView,
  type ViewChange,
} from "@/lib/metrics/view";
import type { ActionResult } from "@/lib/result";

import { loadDashboard } from "./actions";

type DashboardClientProps = {
  workspaceId: string;
  initialView: DashboardView;
  /** The page's query string, which `initialView` was read from. */
  search: string;
  /** The last complete UTC day by the server's clock, from the account frame. */
  lastCompleteDay: IsoDay;
};

/** Poll interval while a sync runs, so new days and its end appear. */
const SYNC_POLL_MS = 15_000;

/** Sent on `window` after a view change is pushed to the history. */
const VIEW_CHANGE_EVENT = "inview:view-change";

function subscribeToLocation(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(VIEW_CHANGE_EVENT, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(VIEW_CHANGE_EVENT, onChange);
  };
}

function readLocationView(): DashboardView {
  return parseViewParams(new URLSearchParams(window.location.search));
}

/**
 * Reads the view from the URL and writes it back with pushState, so each
 * change is a history entry that back and forward restore.
 *
 * The view is read from `window.location`, not from useSearchParams.
 * Next.js 16.5 applies a pushState to useSearchParams in a transition,
 * which React may commit long after the click, for example on a slow CPU.
 * Until then a checkbox kept its old state, and a second change made
 * meanwhile started from the view before the first and undid it.
 */
function useViewParam(initialView: DashboardView) {
  // Subscribes to the router, so a link to another view of this page
  // renders again and the snapshot below reads the new location.
  useSearchParams();
  const pathname = usePathname();
  const serverSearch = `?${viewToParams(initialView).toString()}`;
  const search = useSyncExternalStore(
    subscribeToLocation,
    () => window.location.search,
    () => serverSearch,
  );
  const view = useMemo(
    () => parseViewParams(new URLSearchParams(search)),
    [search],
  );

  const changeView = useCallback(
    (change: ViewChange) => {
      const current = readLocationView();
      const search = viewToParams(change(current)).toString();
      // A change that leaves the view as it is adds no history entry.
      if (search === viewToParams(current).toString()) return;
      window.history.pushState(null, "", `${pathname}?${search}`);
      window.dispatchEvent(new Event(VIEW_CHANGE_EVENT));
    },
    [pathname],
  );

  return [view, changeView] as const;
}

/** Builds the URL of the CSV export of exactly the view the charts show. */
function exportCsvHref(workspaceId: string, data: DashboardSummary): string {
  const params = viewToParams(data.view);
  params.set("workspace", workspaceId);
  return `/api/dashboard/export.csv?${params.toString()}`;
}

/**
 * True when the range has any activity. Without the series, while they
 * load, only the totals decide.
 */
function hasActivity(
  summary: DashboardSummary,
  series: MetricSeries[] | null,
): boolean {
  const anyTotal = summary.kpis.some((kpi) => (kpi.value ?? 0) > 0);
  const anyDay = (series ?? []).some((metricSeries) =>
    metricSeries.points.some((point) => (point.value ?? 0) > 0),
  );
  return anyTotal || anyDay;
}

export function DashboardClient({
  workspaceId,
  initialView,
  search,
  lastCompleteDay,
}: DashboardClientProps) {
  const locale = useLocale();
  const [view, changeView] = useViewParam(initialView);
  // A custom range the server cannot use loads as the last 28 days, as the
  // page did, and the heading names what is loaded.
  const loadedView = usableView(view, lastCompleteDay);
  const viewKey = viewToParams(loadedView).toString();

  const query = useQuery({
    queryKey: ["dashboard", workspaceId, viewKey],
    queryFn: async (): Promise<ActionResult<DashboardData>> => {
      const loaded = await loadDashboard({ workspaceId, view: loadedView });
      return loaded.ok
        ? { ok: true, data: unpackDashboard(loaded.data) }
        : loaded;
    },
    placeholderData: keepPreviousData,
    refetchInterval: (current) => {
      const result = current.state.data;
      return result?.ok && result.data.syncing ? SYNC_POLL_MS : false;
    },
    // A visit from another page loads the view again, because removing a
    // connection, importing a file or withdrawing consent there changes it.
    // The cached view shows meanwhile. Changing views on this page keeps
    // the cache.
    refetchOnMount: "always",
  });
  const result = query.data;
  const data = result?.ok ? result.data : undefined;

  // A session that ended while the page was open: the account frame, asked
  // again, finds no session and opens the sign-in page for this view.
  const queryClient = useQueryClient();
  const signedOut =
    result?.ok === false && result.error.code === "unauthorized";
  useEffect(() => {
    if (signedOut)
      void queryClient.invalidateQueries({ queryKey: ACCOUNT_QUERY_KEY });
  }, [signedOut, queryClient]);

  return (
    <div className="flex flex-col gap-6">
      <LinkProblems
        initialView={initialView}
        search={search}
        lastCompleteDay={lastCompleteDay}
      />
      <header className="flex flex-col gap-4">
        <div className="flex flex-col gap-4 lg:flex-row lg:items-end lg:justify-between">
          <DashboardHeading
            view={loadedView}
            lastCompleteDay={data?.lastCompleteDay ?? lastCompleteDay}
            data={data}
            locale={locale}
          />
          <div role="status" className="min-h-5 text-sm text-muted">
            {query.isFetching && data !== undefined ? (
              <span className="inline-flex items-center gap-2">
                <Spinner />
                Updating…
              </span>
            ) : null}
          </div>
        </div>
        <ViewControls
          view={view}
          lastCompleteDay={data?.lastCompleteDay ?? lastCompleteDay}
          firstStoredDay={data?.firstStoredDay ?? null}
          onChange={changeView}
        />
        {data && data.connections.length > 0 ? (
          <ViewFilters
            view={view}
            metrics={DAILY_METRICS.filter((metric) =>
              data.breakdown.some((row) => row.values[metric] !== null),
            )}
            connections={data.connections}
            updating={query.isFetching}
            onChange={changeView}
          />
        ) : query.isPending ? (
          // Holds the box's place until the first view arrives. A workspace
          // with no connections then loses it, and the empty state follows.
          <ViewFilters
            view={view}
            metrics={[]}
            connections={null}
            updating={false}
            onChange={changeView}
          />
        ) : null}
        <KeyboardShortcuts onChange={changeView} />
      </header>

      <DashboardContent
        query={query}
        workspaceId={workspaceId}
        locale={locale}
      />
    </div>
  );
}

/**
 * Shows the problems found in the link's URL alone: invalid parameters and
 * an unusable or shortened custom range. It renders with the page, not with
 * the data, so it does not push the page down when the data arrives.
 * Connection ids not found need the data, so DataNotices reports those.
 */
function LinkProblems({
  initialView,
  search,
  lastCompleteDay,
}: {
  initialView: DashboardView;
  search: string;
  lastCompleteDay: IsoDay;
}) {
  const problems = useMemo(
    () =>
      describeViewProblems(
        Object.fromEntries(new URLSearchParams(search)),
        initialView,
        // Any time of the day after the last complete day reads the same
        // range, and the server and the browser render the same text.
        new Date(`${addDays(lastCompleteDay, 1)}T12:00:00Z`),
      ),
    [search, initialView, lastCompleteDay],
  );
  return <ViewProblems problems={problems} search={search} />;
}

/**
 * Shows the notices that come with the loaded data: connection ids of the
 * view that were not found, and figures left stale by a failed or late
 * sync. They sit above the figures, where the loading note was, so the
 * header does not move when they appear.
 */
function DataNotices({ data }: { data: DashboardData }) {
  return (
    <>
      {data.unknownConnections > 0 ? (
        <div
          role="status"
          data-testid="unknown-connections"
          className="rounded-md bg-warning-surface p-3 text-sm"
        >
          {describeUnknownConnections(data.view, data.unknownConnections)}
        </div>
      ) : null}
      <StaleDataNotice stale={staleData(data.connections, new Date())} />
    </>
  );
}

function DashboardContent({
  query,
  workspaceId,
  locale,
}: {
  query: UseQueryResult<ActionResult<DashboardData>>;
  workspaceId: string;
  locale: string;
}) {
  const result = query.data;
  const retry = () => void query.refetch();
  const data = result?.ok ? result.data : undefined;

  // A thrown error is a network or server fault, and its text may be an
  // internal message, so the user sees a generic one.
  if (query.isError && data === undefined) {
    return (
      <LoadError
        message="The dashboard could not be loaded. Check your connection and try again."
        retrying={query.isFetching}
        onRetry={retry}
      />
    );
  }
  if (result !== undefined && !result.ok) {
    return (
      <LoadError
        message={result.error.message}
        retrying={query.isFetching}
        onRetry={retry}
      />
    );
  }
  if (data === undefined) {
    return (
      <p role="status" className="flex items-center gap-2 text-sm text-muted">
        <Spinner />
        Loading the dashboard…
      </p>
    );
  }

  return (
    <div
      aria-busy={query.isPlaceholderData}
      className={classNames(
        "flex flex-col gap-6 transition-opacity",
        query.isPlaceholderData && "opacity-60",
      )}
    >
      <DataNotices data={data} />
      <DashboardBody
        data={data}
        series={data.series}
        seriesError={
          query.isError ? { retrying: query.isFetching, onRetry: retry } : null
        }
        workspaceId={workspaceId}
        locale={locale}
      />
    </div>
  );
}

/**
 * Resolves the days of a view the way the server does, from the last
 * complete day, so the heading names them before the view's data arrives.
 * "All time" starts at the first stored day, which comes with the data.
 */
function viewRanges(
  view: DashboardView,
  lastDay: IsoDay,
  data: DashboardSummary | undefined,
): { range: DayRange; comparison: DayRange | null } | null {
  if (view.range === "all") {
    return data
      ? { range: data.range, comparison: data.comparisonRange }
      : null;
  }
  // Noon of the day after the last complete day: any time of that UTC day
  // resolves the same days.
  const now = new Date(`${addDays(lastDay, 1)}T12:00:00Z`);
  const range = resolveRange(view, now);
  return range
    ? { range, comparison: comparisonRange(range, view.comparison) }
    : null;
}

function DashboardHeading({
  view,
  lastCompleteDay,
  data,
  locale,
}: {
  view: DashboardView;
  lastCompleteDay: IsoDay;
  data: DashboardSummary | undefined;
  locale: string;
}) {
  const ranges = viewRanges(view, lastCompleteDay, data);
  return (
    <div className="flex flex-col gap-1">
      <p className="text-sm font-medium text-muted" data-testid="range-label">
        {RANGE_LABELS[view.range]}
      </p>
      <h1 className="text-xl font-semibold sm:text-2xl">
        {ranges ? `${formatDayRange(ranges.range, locale)} (UTC)` : "Dashboard"}
      </h1>
      <p className="text-sm text-muted" data-testid="range-note">
        {ranges?.comparison
          ? `Compared with ${formatDayRange(ranges.comparison, locale)}. `
          : null}
        Ranges end at the last complete UTC day (
        {formatDay(lastCompleteDay, locale, "long")}).
      </p>
    </div>
  );
}

function LoadError({
  message,
  retrying,
  onRetry,
}: {
  message: string;
  retrying: boolean;
  onRetry: () => void;
}) {
  return (
    <div
      role="alert"
      className="flex flex-col items-start gap-3 rounded-lg border border-negative/30 bg-danger-surface p-4 text-sm"
    >
      <p>{message}</p>
      <Button variant="secondary" onClick={onRetry} disabled={retrying}>
        {retrying ? <Spinner /> : null}
        {retrying ? "Retrying…" : "Retry"}
      </Button>
    </div>
  );
}

function DashboardBody({
  data,
  series,
  seriesError,
  workspaceId,
  locale,
}: {
  data: DashboardSummary;
  /** The chart series, or null while they load. */
  series: MetricSeries[] | null;
  /** Set when loading the series failed. */
  seriesError: { retrying: boolean; onRetry: () => void } | null;
  workspaceId: string;
  locale: string;
}) {
  if (data.connections.length === 0) {
    return (
      <EmptyState
        title="No LinkedIn analytics connected"
        action={
          <Link href="/connections" className={buttonClassName("primary")}>
            Connect LinkedIn analytics
          </Link>
        }
      >
        Inview charts the engagement of the member profiles and company pages
        you connect. Connect one, and its history is imported in a first sync,
        or upload LinkedIn&apos;s own export files on the connections page.
      </EmptyState>
    );
  }

  const comparisonLabel = data.comparisonRange
    ? COMPARISON_LABELS[data.view.comparison]
    : null;
  const breakdownMetrics = DAILY_METRICS.filter((metric) =>
    data.breakdown.some((row) => row.values[metric] !== null),
  );

  return (
    <>
      <SyncNotices data={data} />

      <section aria-labelledby="kpi-heading" className="flex flex-col gap-3">
        <h2 id="kpi-heading" className="text-base font-semibold">
          Totals
        </h2>
        <div className="grid grid-cols-[repeat(auto-fill,minmax(10rem,1fr))] gap-3">
          {data.kpis.map((kpi) => (
            <KpiCard
              key={kpi.metric}
              kpi={kpi}
              locale={locale}
              comparisonLabel={comparisonLabel}
            />
          ))}
        </div>
      </section>

      <section aria-labelledby="trend-heading" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="trend-heading" className="text-base font-semibold">
            Trends by {data.granularity}
          </h2>
          {data.exportAccess.allowed ? (
            <a
              href={exportCsvHref(workspaceId, data)}
              download
              className={buttonClassName("secondary")}
            >
              Export CSV
            </a>
          ) : null}
        </div>
        {data.exportAccess.reason ? (
          <p
            className="rounded-lg border border-border bg-surface p-3 text-sm"
            data-testid="export-unavailable"
          >
            {data.exportAccess.reason}
          </p>
        ) : null}
        {seriesError && series === null ? (
          <LoadError
            message="The charts could not be loaded. Check your connection and try again."
            retrying={seriesError.retrying}
            onRetry={seriesError.onRetry}
          />
        ) : hasActivity(data, series) ? (
          <div className="grid gap-4 lg:grid-cols-2">
            {data.chartMetrics.map((metric) => (
              <MetricChart
                key={metric}
                metric={metric}
                points={
                  series === null
                    ? null
                    : (series.find((item) => item.metric === metric)?.points ??
                      [])
                }
                range={data.range}
                comparisonLabel={comparisonLabel}
                comparisonRange={data.comparisonRange}
                granularity={data.granularity}
                locale={locale}
                pngFileName={
                  data.exportAccess.allowed
                    ? `inview-${metric}-${data.range.from}-${data.range.to}-by-${data.granularity}.png`
                    : null
                }
              />
            ))}
          </div>
        ) : (
          <NoActivity data={data} locale={locale} />
        )}
      </section>

      {data.breakdown.length > 0 ? (
        <section
          aria-labelledby="breakdown-heading"
          className="flex flex-col gap-3"
        >
          <h2 id="breakdown-heading" className="text-base font-semibold">
            By connection
          </h2>
          <BreakdownTable
            breakdown={data.breakdown}
            connections={data.connections}
            metrics={breakdownMetrics}
            locale={locale}
          />
        </section>
      ) : null}

      {data.posts.length > 0 ? (
        <section
          aria-labelledby="posts-heading"
          className="flex flex-col gap-3"
        >
          <h2 id="posts-heading" className="text-base font-semibold">
            Posts
          </h2>
          <PostsTable posts={data.posts} locale={locale} />
        </section>
      ) : null}
    </>
  );
}

/** Sync progress, failed syncs with their reason and fix, and thin data. */
function SyncNotices({ data }: { data: DashboardSummary }) {
  const running = data.connections.filter((connection) =>
    ["queued", "running"].includes(connection.syncState),
  );
  // A sync put off by LinkedIn's daily call budget stays queued until the
  // budget resets, which can be hours away.
  const waitsUntil = (connection: ConnectionSummary) =>
    connection.syncState === "queued" ? connection.nextSyncAt : null;
  const waiting = running.filter((connection) => waitsUntil(connection));
  const waitReasons = [
    ...new Set(
      waiting.flatMap((connection) =>
        connection.statusReason ? [connection.statusReason] : [],
      ),
    ),
  ];
  const failed = data.connections.filter(
    (connection) =>
      connection.source === "api" &&
      (connection.syncState === "failed" || connection.status !== "active"),
  );
  const singleDay =
    data.firstStoredDay !== null &&
    data.firstStoredDay === data.lastCompleteDay;

  return (
    <>
      {running.length ? (
        <div
          role="status"
          className="flex flex-col gap-2 rounded-lg border border-warning/40 bg-warning-surface p-4 text-sm"
        >
          {waiting.length === running.length ? (
            <p>
              Sync waiting for LinkedIn&apos;s daily call budget. Numbers fill
              in once it resets.
            </p>
          ) : (
            <p className="flex items-center gap-2">
              <Spinner />
              Sync in progress… Numbers fill in as each day is imported.
            </p>
          )}
          <ul className="flex flex-col gap-1">
            {running.map((connection) => {
              const until = waitsUntil(connection);
              return (
                <li key={connection.id} className="flex items-center gap-2">
                  <span className="min-w-40">{connection.name}</span>
                  <progress
                    max={100}
                    value={connection.syncProgress}
                    aria-label={`Sync progress of ${connection.name}`}
                  />
                  <span className="tabular-nums">
                    {until
                      ? `waiting until ${formatUtcTime(until)}`
                      : connection.syncState === "queued"
                        ? "queued"
                        : `${connection.syncProgress}%`}
                  </span>
                </li>
              );
            })}
          </ul>
          {waitReasons.map((reason) => (
            <p key={reason}>{reason}</p>
          ))}
          <Link href="/connections" className="font-medium underline">
            View sync status
          </Link>
        </div>
      ) : null}
      {failed.length ? (
        <div
          role="alert"
          className="flex flex-col gap-2 rounded-lg border border-negative/30 bg-danger-surface p-4 text-sm"
        >
          {failed.map((connection) => (
            <p key={connection.id}>
              <span className="font-medium">{connection.name}</span>: the last
              sync failed.{" "}
              {connection.statusReason ??
                "LinkedIn returned an error; the next sync retries."}{" "}
              <Link href="/connections" className="underline">
                Open connections to fix it
              </Link>
              .
            </p>
          ))}
        </div>
      ) : null}
      {singleDay ? (
        <p className="rounded-lg border border-border bg-surface p-3 text-sm">
          Only one day of data is stored so far, so there is no trend yet. The
          daily sync adds a day each morning (UTC).
        </p>
      ) : null}
    </>
  );
}

function NoActivity({
  data,
  locale,
}: {
  data: DashboardSummary;
  locale: string;
}) {
  const dates = formatDayRange(data.range, locale);

  if (data.syncing) {
    return (
      <EmptyState headingLevel={3} title="No activity in this range yet">
        Nothing is stored for {dates} yet. The charts appear once the sync has
        imported these days.
      </EmptyState>
    );
  }

  // A range without any stored day differs from days without activity, so
  // this state names where the stored data starts.
  const dailyKpis = data.kpis.filter(
    (kpi) => kpi.value !== null && kpi.metric !== "members_reached",
  );
  const nothingStored =
    dailyKpis.length > 0 &&
    dailyKpis.every((kpi) => kpi.coverage?.storedDays === 0);
  if (nothingStored) {
    return (
      <EmptyState headingLevel={3} title="No data for this range">
        Inview has no stored data for {dates}.{" "}
        {data.firstStoredDay
          ? `Stored data starts on ${formatDay(data.firstStoredDay, locale, "long")}. `
          : null}
        LinkedIn&apos;s export files can fill in earlier days: import them on
        the Connections page.
      </EmptyState>
    );
  }

  return (
    <EmptyState
      headingLevel={3}
      title="No activity in this range"
      action={
        <Link href="/connections" className={buttonClassName("secondary")}>
          Check connections
        </Link>
      }
    >
      No activity is stored for your connections from {dates}. Try a longer
      range, or check that each connection is active.
    </EmptyState>
  );
}
