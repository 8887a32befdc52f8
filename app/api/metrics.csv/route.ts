// GET /api/metrics.csv?from=YYYY-MM-DD&to=YYYY-MM-DD: the workspace's stored daily metrics.
import { z } from "zod";
import { requireMember, requireUser } from "@/lib/auth/guard";
import { currentWorkspace } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/responses";
import { countDays, dayToEpochMs } from "@/lib/linkedin/days";
import { METRICS_CSV_HEADER, metricsCsvLines } from "@/lib/metrics/csv";

export const dynamic = "force-dynamic";

const MAX_DAYS = 3 * 366;

const isoDay = z.string().refine((value) => {
  try {
    dayToEpochMs(value);
    return true;
  } catch {
    return false;
  }
}, "must be a date as YYYY-MM-DD");

const querySchema = z.object({
  from: isoDay,
  to: isoDay,
  workspace: z.string().optional(),
});

export async function GET(request: Request): Promise<Response> {
  try {
    const user = await requireUser();

    const params = Object.fromEntries(new URL(request.url).searchParams);
    const parsed = querySchema.safeParse(params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ValidationError(
        `Invalid ${issue?.path.join(".") || "query"}: ${issue?.message ?? "bad value"}.`,
      );
    }
    const { from, to } = parsed.data;
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
      parsed.data.workspace ?? (await currentWorkspace(user.id))?.id;
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
