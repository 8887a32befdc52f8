// POST /api/imports: import one LinkedIn analytics export file (multipart form).
import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { UnauthorizedError, ValidationError } from "@/lib/errors";
import { readLimitedForm } from "@/lib/http/form";
import { errorResponse } from "@/lib/http/responses";
import { logger } from "@/lib/log";
import { importExportFile } from "@/lib/import/store";
import { ImportFileError, MAX_IMPORT_BYTES } from "@/lib/import/workbook";
import { consumeRateLimit, UPLOAD_LIMIT } from "@/lib/privacy/rate-limit";
import { enqueueSync } from "@/lib/sync/queue";

export const dynamic = "force-dynamic";

const formSchema = z.object({
  workspaceId: z.string().min(1),
  apiConnectionId: z.union([z.uuid(), z.literal("")]).optional(),
});

export async function POST(request: Request): Promise<Response> {
  try {
    const user = await getSessionUser();
    if (!user) throw new UnauthorizedError();
    const form = await readLimitedForm(
      request,
      MAX_IMPORT_BYTES + 64 * 1024,
      `The upload is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Export a shorter date range from LinkedIn.`,
    );
    const parsed = formSchema.safeParse({
      workspaceId: form.get("workspaceId"),
      apiConnectionId: form.get("apiConnectionId") ?? undefined,
    });
    if (!parsed.success) {
      throw new ValidationError(
        "The import form is incomplete. Reload the page and try again.",
      );
    }
    const context = await authorize(
      db(),
      user.id,
      parsed.data.workspaceId,
      "connections.connect",
    );
    await consumeRateLimit(db(), user.id, UPLOAD_LIMIT);

    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) {
      throw new ValidationError(
        "Choose an .xlsx or .xls file exported from LinkedIn.",
      );
    }
    const result = await importExportFile(db(), context, {
      bytes: new Uint8Array(await file.arrayBuffer()),
      fileName: file.name.slice(0, 200),
      apiConnectionId: parsed.data.apiConnectionId || null,
    });
    if (result.postsApiConnectionId) {
      // The sync reads the daily numbers of the posts the file named. The
      // import is complete without them, so a queue failure is only logged.
      await enqueueSync(result.postsApiConnectionId, "daily").catch(
        (error: unknown) =>
          logger().warn(
            { err: error, connectionId: result.postsApiConnectionId },
            "could not queue a sync for imported posts",
          ),
      );
    }
    return Response.json(result, { status: result.duplicate ? 200 : 201 });
  } catch (error) {
    if (error instanceof ImportFileError) {
      if (error.cause)
        logger().warn(
          { err: error.cause },
          "import file rejected by the spreadsheet reader",
        );
      return Response.json(
        { error: { code: "invalid_file", message: error.message } },
        { status: 422 },
      );
    }
    return errorResponse(error);
  }
}
