// GET /api/health: liveness and which database engine serves this process.
import { sql } from "drizzle-orm";
import { database } from "@/lib/db/client";
import { DATABASE_RETRY_AFTER_SECONDS } from "@/lib/http/responses";
import { logger } from "@/lib/log";
import { APP_VERSION } from "@/lib/version";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const handle = database();
  try {
    await handle.db.execute(sql`select 1`);
    return Response.json({
      status: "ok",
      database: handle.engine,
      version: APP_VERSION,
    });
  } catch (error) {
    logger().error({ err: error }, "health check failed: database unreachable");
    return Response.json(
      {
        status: "error",
        database: handle.engine,
        version: APP_VERSION,
        code: "database_unavailable",
        message: "The database is unreachable. Try again in a few seconds.",
      },
      {
        status: 503,
        headers: { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) },
      },
    );
  }
}
