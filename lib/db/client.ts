import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import pg from "pg";
import { env } from "../env";
import * as schema from "./schema";

// The only module that depends on which engine it opened. Everything else uses the
// drizzle `Database` type, which both engines share.

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Engine = "pglite" | "postgres";

/** A raw SQL runner with the `{ rows }` shape pg-boss and benchmarks expect. */
export type SqlRunner = {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
};

export type DatabaseHandle = {
  db: Database;
  engine: Engine;
  sql: SqlRunner;
  close(): Promise<void>;
};

function openPostgres(url: string): DatabaseHandle {
  // Without a connect timeout a request waits forever for a server that
  // accepts TCP but never responds. With it the query fails, and route
  // handlers send 503.
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
  });
  pool.on("error", () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  // A checked-out client whose connection drops between two queries, as in
  // a transaction while Postgres restarts, emits "error" with no listener,
  // which would end the process. The next query on it rejects instead.
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });
  return {
    db: drizzlePg(pool, { schema }),
    engine: "postgres",
    sql: {
      executeSql: async (text, values) => {
        // A multi-statement string returns one result per statement.
        const result = (await pool.query(text, values)) as
          pg.QueryResult<object> | pg.QueryResult<object>[];
        const last = Array.isArray(result) ? result.at(-1) : result;
        return { rows: last?.rows ?? [] };
      },
    },
    close: () => pool.end(),
  };
}

function openPglite(dataDir: string | undefined): DatabaseHandle {
  const client = new PGlite(dataDir);
  return {
    db: drizzlePglite(client, { schema }),
    engine: "pglite",
    sql: {
      executeSql: async (text, values) => {
        if (values && values.length > 0) {
          const result = await client.query(text, values);
          return { rows: result.rows };
        }
        // exec runs several statements at once, as pg's simple protocol does.
        const results = await client.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      },
    },
    close: () => client.close(),
  };
}

export type OpenOptions = {
  databaseUrl?: string | null;
  pgliteDir?: string | null;
};

/** Opens a new handle; tests use it directly, the app uses `database()`. */
export function openDatabase(options: OpenOptions = {}): DatabaseHandle {
  const url =
    options.databaseUrl === undefined ? env().databaseUrl : options.databaseUrl;
  if (url) return openPostgres(url);
  const dir =
    options.pgliteDir === undefined
      ? path.join(env().dataDir, "pglite")
      : (options.pgliteDir ?? undefined);
  return openPglite(dir);
}

// One handle per process, kept on globalThis so hot reload and Next's
// separate module graphs (instrumentation, routes) share one pool. PGlite
// in particular must never be opened twice on the same folder.
const globalForDb = globalThis as unknown as {
  inviewDatabase?: DatabaseHandle;
};

export function database(): DatabaseHandle {
  globalForDb.inviewDatabase ??= openDatabase();
  return globalForDb.inviewDatabase;
}

export function db(): Database {
  return database().db;
}
