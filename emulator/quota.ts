// Daily call quotas per app and per member of the app. Both counters reset at
// midnight UTC of the virtual clock.

import { DAY_MS } from "./clock";
import { throttled } from "./errors";
import type { Headers } from "./http";

export type QuotaLimits = {
  appDailyQuota: number;
  memberDailyQuota: number;
  rateLimitHeaders: boolean;
};

export class QuotaCounter {
  private day = Number.NaN;
  private appCalls = 0;
  private memberCalls = new Map<string, number>();

  /**
   * Counts one call of the member, or throws the 429 ApiError when the app or
   * the member has used up the day. Returns the headers to add to a
   * successful response, which are empty unless `rateLimitHeaders` is on.
   */
  consume(memberId: string, now: number, limits: QuotaLimits): Headers {
    const today = Math.floor(now / DAY_MS);
    if (today !== this.day) {
      this.day = today;
      this.appCalls = 0;
      this.memberCalls.clear();
    }

    const memberUsed = this.memberCalls.get(memberId) ?? 0;
    const remaining = Math.min(
      limits.appDailyQuota - this.appCalls,
      limits.memberDailyQuota - memberUsed,
    );
    const resetMs = (today + 1) * DAY_MS;
    if (remaining <= 0) {
      throw throttled(limits.rateLimitHeaders ? headers(0, resetMs, now) : {});
    }

    this.appCalls += 1;
    this.memberCalls.set(memberId, memberUsed + 1);
    return limits.rateLimitHeaders ? headers(remaining - 1, resetMs, now) : {};
  }

  reset(): void {
    this.day = Number.NaN;
    this.appCalls = 0;
    this.memberCalls.clear();
  }
}

function headers(remaining: number, resetMs: number, now: number): Headers {
  const result: Headers = {
    "x-ratelimit-remaining": String(remaining),
    "x-ratelimit-reset": String(Math.ceil(resetMs / 1000)),
  };
  if (remaining === 0) {
    result["retry-after"] = String(Math.ceil((resetMs - now) / 1000));
  }
  return result;
}
