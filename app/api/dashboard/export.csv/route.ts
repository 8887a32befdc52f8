// GET /api/dashboard/export.csv?workspace=ID&range=...: the dashboard's chart series as CSV.
import { requireMember, requireUser } from "@/lib/auth/guard";
import { writeAudit } from "@/lib/audit/log";
import { currentWorkspace } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { seriesCsvFileName, seriesCsvLines } from "@/lib/exports/series-csv";
import { attachmentDisposition } from "@/lib/http/content-disposition";
import { csvStream } from "@/lib/http/csv";
import { errorResponse } from "@/lib/http/responses";
import { loadDashboardData } from "@/lib/metrics/dashboard";
import {
  parseViewParams,
  resolveRange,
  viewToParams,
} from "@/lib/metrics/view";

export const dynamic = "force-dynamic";

// The view parameters are the dashboard URL's (range, from, to, compare,
// by, metrics, connections) and are read by the same parser, so a link to
// the dashboard and its export always mean the same view.
export async function GET(request: Request): Promise<Response> {
  try {
    const user = await requireUser();

    const params = new URL(request.url).searchParams;
    const workspaceId =
      params.get("workspace") ?? (await currentWorkspace(user.id))?.id;
    if (!workspaceId) throw new NotFoundError("The workspace");
    const context = await requireMember(workspaceId, "dashboard.view");

    const view = parseViewParams(params);
    if (view.range === "custom" && resolveRange(view, new Date()) === null) {
      throw new ValidationError(
        "Choose a custom range whose start is on or before its end and before today (UTC).",
      );
    }

    const database = db();
    const data = await loadDashboardData(database, context, view);
    if (!data.exportAccess.allowed) {
      throw new ForbiddenError(
        data.exportAccess.reason ?? "You may not export this view.",
      );
    }

    await writeAudit(database, {
      workspaceId: context.workspaceId,
      actorUserId: context.userId,
      action: "metrics.exported",
      targetType: "workspace",
      targetId: context.workspaceId,
      details: {
        format: "csv",
        view: viewToParams(view).toString(),
        range: data.range,
        metrics: data.series.map((series) => series.metric),
      },
    });
    return new Response(csvStream(seriesCsvLines(data)), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": attachmentDisposition(seriesCsvFileName(data)),
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
