// Daily LinkedIn call budgets kept in the database, so every worker process
// draws from the same count. LinkedIn resets its quotas at midnight UTC.

import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { apiBudgets } from "../db/schema";
import { todayUtc } from "./days";

export const APP_BUDGET_KEY = "app";

export type BudgetLimits = { appDaily: number; memberDaily: number };

export type BudgetLeft = { app: number; member: number };

/** Thrown before a call when the app's or the member's budget for the day is spent. */
export class BudgetExhausted extends Error {
  override name = "BudgetExhausted";

  constructor(
    readonly budget: "app" | "member",
    /** The next UTC midnight, when the budget is full again. */
    readonly resetsAt: Date,
  ) {
    super(
      `The ${budget} budget of LinkedIn calls for today is used up; it resets at ${resetsAt.toISOString()}`,
    );
  }
}

/** Returns the first instant of the UTC day after `now`. */
export function nextUtcMidnight(now: Date): Date {
  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1),
  );
}

/** Rolls back a budget transaction whose second draw was rejected. */
class BudgetRejected extends Error {}

/**
 * Counts one call against the app and the member budget of `now`'s UTC day.
 * Each count is one conditional INSERT ... ON CONFLICT DO UPDATE ... RETURNING,
 * so concurrent workers never overspend. When the member is within budget but
 * the app is not, the transaction rolls the member's count back.
 */
export async function consumeBudget(
  database: Database,
  input: { memberKey: string; limits: BudgetLimits; now: Date },
): Promise<BudgetLeft> {
  const day = todayUtc(input.now);
  const take = async (tx: Database, key: string, limit: number) => {
    const [row] = await tx
      .insert(apiBudgets)
      .values({ budgetKey: key, day, used: 1 })
      .onConflictDoUpdate({
        target: [apiBudgets.budgetKey, apiBudgets.day],
        set: { used: sql`${apiBudgets.used} + 1` },
        setWhere: sql`${apiBudgets.used} < ${limit}`,
      })
      .returning({ used: apiBudgets.used });
    // A first insert above a limit of 0 must also be rejected.
    return row && row.used <= limit ? limit - row.used : null;
  };

  let rejectedBy: "app" | "member" = "member";
  try {
    return await database.transaction(async (tx) => {
      const member = await take(tx, input.memberKey, input.limits.memberDaily);
      if (member === null) throw new BudgetRejected();
      const app = await take(tx, APP_BUDGET_KEY, input.limits.appDaily);
      if (app === null) {
        rejectedBy = "app";
        throw new BudgetRejected();
      }
      return { app, member };
    });
  } catch (error) {
    if (error instanceof BudgetRejected)
      throw new BudgetExhausted(rejectedBy, nextUtcMidnight(input.now));
    throw error;
  }
}

/** Returns the calls used today under each of the given budget keys. */
export async function budgetUsage(
  database: Database,
  keys: string[],
  now: Date,
): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const rows = await database
    .select({ key: apiBudgets.budgetKey, used: apiBudgets.used })
    .from(apiBudgets)
    .where(
      and(
        eq(apiBudgets.day, todayUtc(now)),
        inArray(apiBudgets.budgetKey, keys),
      ),
    );
  return new Map(rows.map((row) => [row.key, row.used]));
}
