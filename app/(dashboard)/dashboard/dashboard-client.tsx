"use client";

import {
  keepPreviousData,
  useQuery,
  type UseQueryResult,
} from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";

import { useLocale } from "@/app/providers";
import { MetricChart } from "@/components/charts/metric-chart";
import { KpiCard } from "@/components/kpi-card";
import { RangePicker } from "@/components/range-picker";
import { Button, buttonClassName } from "@/components/ui/button";
import { classNames } from "@/components/ui/class-names";
import { EmptyState } from "@/components/ui/empty-state";
import { Spinner } from "@/components/ui/spinner";
import { formatDayRange } from "@/lib/format";
import {
  PRESET_RANGE_DAYS,
  type PresetRangeDays,
} from "@/lib/metrics/registry";
import type { DashboardData } from "@/lib/metrics/types";
import { ok, type ActionResult } from "@/lib/result";

import { loadDashboard } from "./actions";

type DashboardClientProps = {
  workspaceId: string;
  rangeDays: PresetRangeDays;
  initialData: DashboardData;
};

/** Poll interval while a first sync runs, so new days and its end appear. */
const SYNC_POLL_MS = 15_000;

function parseRange(value: string | null): PresetRangeDays | undefined {
  return PRESET_RANGE_DAYS.find((days) => String(days) === value);
}

/** Reads the selected range from `?range=N` and writes it back there. */
function useRangeParam(fallback: PresetRangeDays) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const range = parseRange(searchParams.get("range")) ?? fallback;

  function selectRange(days: PresetRangeDays) {
    const params = new URLSearchParams(searchParams.toString());
    params.set("range", String(days));
    // Next.js syncs useSearchParams with history.replaceState. The query
    // below loads the new range, whereas router.replace would also render
    // page.tsx again on the server and load the same view twice.
    window.history.replaceState(null, "", `${pathname}?${params.toString()}`);
  }

  return [range, selectRange] as const;
}

function hasActivity(data: DashboardData): boolean {
  const anyTotal = data.kpis.some((kpi) => (kpi.value ?? 0) > 0);
  const anyDay = data.series.some((series) =>
    series.points.some((point) => point.value > 0),
  );
  return anyTotal || anyDay;
}

export function DashboardClient({
  workspaceId,
  rangeDays,
  initialData,
}: DashboardClientProps) {
  const locale = useLocale();
  const [range, selectRange] = useRangeParam(rangeDays);

  const query = useQuery({
    queryKey: ["dashboard", workspaceId, range],
    queryFn: () => loadDashboard({ workspaceId, rangeDays: range }),
    // The server loaded only the range in the URL it rendered.
    initialData: range === rangeDays ? ok(initialData) : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: (current) => {
      const result = current.state.data;
      return result?.ok && result.data.syncing ? SYNC_POLL_MS : false;
    },
  });
  const result = query.data;
  const data = result?.ok ? result.data : undefined;

  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-col gap-4 md:flex-row md:items-end md:justify-between">
        <DashboardHeading rangeDays={range} data={data} locale={locale} />
        <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
          <div role="status" className="min-h-5 text-sm text-muted">
            {query.isFetching ? (
              <span className="inline-flex items-center gap-2">
                <Spinner />
                Updating…
              </span>
            ) : null}
          </div>
          <RangePicker value={range} onChange={selectRange} />
        </div>
      </header>

      <DashboardContent query={query} locale={locale} />
    </div>
  );
}

function DashboardContent({
  query,
  locale,
}: {
  query: UseQueryResult<ActionResult<DashboardData>>;
  locale: string;
}) {
  const result = query.data;
  const retry = () => void query.refetch();

  // A thrown error is a network or server fault, and its text may be an
  // internal message, so the user sees a generic one.
  if (query.isError) {
    return (
      <LoadError
        message="The dashboard could not be loaded. Check your connection and try again."
        retrying={query.isFetching}
        onRetry={retry}
      />
    );
  }
  if (result === undefined) {
    return <p className="text-sm text-muted">Loading the dashboard…</p>;
  }
  if (!result.ok) {
    return (
      <LoadError
        message={result.error.message}
        retrying={query.isFetching}
        onRetry={retry}
      />
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
      <DashboardView data={result.data} locale={locale} />
    </div>
  );
}

function DashboardHeading({
  rangeDays,
  data,
  locale,
}: {
  rangeDays: PresetRangeDays;
  data: DashboardData | undefined;
  locale: string;
}) {
  return (
    <div className="flex flex-col gap-1">
      <p className="text-sm font-medium text-muted">Last {rangeDays} days</p>
      <h1 className="text-xl font-semibold sm:text-2xl">
        {data ? `${formatDayRange(data.range, locale)} (UTC)` : "Dashboard"}
      </h1>
      <p className="text-sm text-muted">
        {data
          ? `Compared with ${formatDayRange(data.previousRange, locale)}. `
          : null}
        Ranges end at the last complete UTC day (yesterday).
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

function DashboardView({
  data,
  locale,
}: {
  data: DashboardData;
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
        you connect. Connect one, and its history is imported in a first sync.
      </EmptyState>
    );
  }

  const active = hasActivity(data);
  const connectedKinds = data.connections.map((connection) => connection.kind);

  return (
    <>
      {data.syncing ? <SyncingBanner /> : null}

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
              connectedKinds={connectedKinds}
            />
          ))}
        </div>
      </section>

      <section aria-labelledby="trend-heading" className="flex flex-col gap-3">
        <h2 id="trend-heading" className="text-base font-semibold">
          Daily trends
        </h2>
        {active ? (
          <div className="grid gap-4 lg:grid-cols-2">
            {data.series.map((series) => (
              <MetricChart
                key={series.metric}
                metric={series.metric}
                points={series.points}
                range={data.range}
                previousRange={data.previousRange}
                locale={locale}
              />
            ))}
          </div>
        ) : (
          <NoActivity data={data} locale={locale} />
        )}
      </section>
    </>
  );
}

function SyncingBanner() {
  return (
    <div
      role="status"
      className="flex flex-col gap-2 rounded-lg border border-warning/40 bg-warning-surface p-4 text-sm sm:flex-row sm:items-center sm:justify-between"
    >
      <p className="flex items-center gap-2">
        <Spinner />
        First sync in progress… Numbers fill in as each day is imported.
      </p>
      <Link href="/connections" className="font-medium underline">
        View sync status
      </Link>
    </div>
  );
}

function NoActivity({ data, locale }: { data: DashboardData; locale: string }) {
  const dates = formatDayRange(data.range, locale);

  if (data.syncing) {
    return (
      <EmptyState headingLevel={3} title="No activity in this range yet">
        Nothing is stored for {dates} yet. The charts appear once the first sync
        has imported these days.
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
      LinkedIn reported no activity for your connections from {dates}. Try a
      longer range, or check that each connection is active.
    </EmptyState>
  );
}
