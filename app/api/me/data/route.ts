// GET|DELETE /api/me/data: download all of the signed-in person's data as a ZIP, or erase it.
import { Readable } from "node:stream";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "@/lib/audit/log";
import { forgetSessionCookies, getSessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import {
  ForbiddenError,
  UnauthorizedError,
  ValidationError,
} from "@/lib/errors";
import { attachmentDisposition } from "@/lib/http/content-disposition";
import { errorResponse } from "@/lib/http/responses";
import { logger } from "@/lib/log";
import { erasureDeps } from "@/lib/privacy/deps";
import { eraseUser } from "@/lib/privacy/erasure";
import { exportPersonalData } from "@/lib/privacy/export";
import {
  consumeRateLimit,
  ERASURE_LIMIT,
  EXPORT_LIMIT,
} from "@/lib/privacy/rate-limit";

export const dynamic = "force-dynamic";

/** Erasure needs a sign-in this recent, so an unattended device cannot delete the account. */
const FRESH_SIGN_IN_MS = 15 * 60 * 1000;

const erasureSchema = z.object({ confirmEmail: z.string().trim().min(1) });

export async function GET(): Promise<Response> {
  try {
    const user = await getSessionUser();
    if (!user) throw new UnauthorizedError();
    await consumeRateLimit(db(), user.id, EXPORT_LIMIT);

    const now = new Date();
    await writeAudit(db(), {
      workspaceId: null,
      actorUserId: user.id,
      action: "data.exported",
      targetType: "user",
      targetId: user.id,
    });
    const zip = exportPersonalData(db(), user.id, now);
    zip.on("error", (error) =>
      logger().error({ err: error, userId: user.id }, "data export failed"),
    );
    const filename = `inview-data-${now.toISOString().slice(0, 10)}.zip`;
    return new Response(Readable.toWeb(zip) as ReadableStream<Uint8Array>, {
      headers: {
        "Content-Type": "application/zip",
        "Content-Disposition": attachmentDisposition(filename),
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

async function readConfirmation(request: Request): Promise<string> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new ValidationError(
      'Send a JSON body {"confirmEmail": "<your email>"} to confirm the deletion.',
    );
  }
  const parsed = erasureSchema.safeParse(body);
  if (!parsed.success)
    throw new ValidationError(
      "Type your email address to confirm the deletion.",
    );
  return parsed.data.confirmEmail;
}

export async function DELETE(request: Request): Promise<Response> {
  try {
    const user = await getSessionUser();
    if (!user) throw new UnauthorizedError();
    await consumeRateLimit(db(), user.id, ERASURE_LIMIT);

    const typed = await readConfirmation(request);
    const [account] = await db()
      .select({ email: users.email })
      .from(users)
      .where(eq(users.id, user.id));
    if (!account?.email || typed.toLowerCase() !== account.email.toLowerCase())
      throw new ValidationError(
        "The email you typed does not match your account's email. Nothing was deleted.",
      );
    const signedInAt = user.signedInAt?.getTime() ?? 0;
    if (Date.now() - signedInAt > FRESH_SIGN_IN_MS)
      throw new ForbiddenError(
        "For your safety, deleting the account needs a recent sign-in. Sign out, sign in again and delete within 15 minutes.",
      );

    const receipt = await eraseUser(erasureDeps(), user.id);
    await forgetSessionCookies();
    return Response.json(receipt, {
      headers: { "Cache-Control": "private, no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
