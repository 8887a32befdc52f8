// GET /api/metrics.csv?from=YYYY-MM-DD&to=YYYY-MM-DD: the workspace's stored daily metrics.
import { requireMember, requireUser } from "@/lib/auth/guard";
import { currentWorkspace } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/responses";
import { countDays, dayToEpochMs } from "@/lib/linkedin/days";
import { METRICS_CSV_HEADER, metricsCsvLines } from "@/lib/metrics/csv";

export const dynamic = "force-dynamic";

const MAX_DAYS = 3 * 366;

/** Reads `from` or `to`, naming the parameter and the expected form when it is wrong. */
function dayParam(params: URLSearchParams, name: "from" | "to"): string {
  const value = params.get(name);
  if (value === null || value === "")
    throw new ValidationError(
      `Missing ${name}: give a day as YYYY-MM-DD, for example ${name}=2026-11-01.`,
    );
  try {
    dayToEpochMs(value);
    return value;
  } catch {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    throw new ValidationError(
      `Invalid ${name} ${JSON.stringify(shown)}: give a calendar day as YYYY-MM-DD.`,
    );
  }
}

export async function GET(request: Request): Promise<Response> {
  try {
    const user = await requireUser();

    const params = new URL(request.url).searchParams;
    const from = dayParam(params, "from");
    const to = dayParam(params, "to");
    if (from > to)
      throw new ValidationError(
        `Invalid range: from (${from}) is after to (${to}).`,
      );
    if (countDays({ from, to }) > MAX_DAYS) {
      throw new ValidationError(
        `Invalid range: at most ${MAX_DAYS} days per request.`,
      );
    }

    const workspaceId =
      params.get("workspace") || (await currentWorkspace(user.id))?.id;
    if (!workspaceId) throw new NotFoundError("The workspace");
    const context = await requireMember(workspaceId, "dashboard.view");

    const lines = await metricsCsvLines(db(), context, { from, to });
    const body = [METRICS_CSV_HEADER, ...lines].join("\n") + "\n";
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="inview-metrics-${from}-${to}.csv"`,
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
