"use client";

import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import { formatDay, formatNumber } from "@/lib/format";
import type { IsoDay } from "@/lib/metrics/types";

/**
 * Draws one metric of a post per day. The chart is hidden from assistive
 * technology, because the page's table lists the same numbers.
 */
export function PostTrendChart({
  label,
  points,
  locale,
}: {
  label: string;
  points: { day: IsoDay; value: number | null }[];
  locale: string;
}) {
  return (
    <div aria-hidden="true" className="h-40 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart
          accessibilityLayer={false}
          data={points}
          margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" />
          <XAxis
            dataKey="day"
            tickFormatter={(day: string) => formatDay(day, locale)}
            minTickGap={24}
            tick={{ fontSize: 11 }}
          />
          <YAxis
            width={44}
            allowDecimals={false}
            tickFormatter={(value: number) => formatNumber(value, locale)}
            tick={{ fontSize: 11 }}
          />
          <Tooltip
            labelFormatter={(day) =>
              typeof day === "string" ? formatDay(day, locale, "long") : ""
            }
            formatter={(value) => [formatNumber(Number(value), locale), label]}
          />
          <Line
            type="monotone"
            dataKey="value"
            name={label}
            stroke="var(--color-accent)"
            strokeWidth={2}
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
