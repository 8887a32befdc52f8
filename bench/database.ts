import pg from "pg";
import { openDatabase, type DatabaseHandle } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";

export const DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/test";
export const DEFAULT_BENCH_DATABASE = "inview_bench";

/** Returns the URL of another database on the same server. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Drops and recreates the bench database `name` on the server of
 * `serverUrl`, then applies the committed migrations. Returns the URL of the
 * new database.
 */
export async function createBenchDatabase(
  serverUrl: string,
  name: string,
): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(
      `--database must be a lower-case SQL identifier such as inview_bench, got "${name}"`,
    );
  await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
  await adminQuery(serverUrl, `create database ${name}`);
  const url = withDatabase(serverUrl, name);
  const handle = openDatabase({ databaseUrl: url });
  try {
    await migrateDatabase(handle);
  } finally {
    await handle.close();
  }
  return url;
}

/**
 * Opens a pool on the bench database. With `applicationName`, its
 * connections carry that name in pg_stat_activity.
 */
export function openBenchDatabase(
  url: string,
  applicationName?: string,
): DatabaseHandle {
  if (!applicationName) return openDatabase({ databaseUrl: url });
  const named = new URL(url);
  named.searchParams.set("application_name", applicationName);
  return openDatabase({ databaseUrl: named.toString() });
}

/** The server's version string, such as "15.20". */
export async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ server_version: string }>(
      "show server_version",
    );
    return result.rows[0]?.server_version ?? "unknown";
  } finally {
    await client.end();
  }
}
