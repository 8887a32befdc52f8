import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type DatabaseHandle } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";

// Integration tests run once per engine: always on PGlite (in memory), and on
// the Postgres server named by TEST_DATABASE_URL when it is set. Each run gets
// a new, empty database that is dropped afterwards.

export type TestEngine = {
  name: "pglite" | "postgres";
  open(): Promise<DatabaseHandle & { url: string | null }>;
};

function postgresUrl(): string | null {
  return process.env.TEST_DATABASE_URL || null;
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

const pgliteEngine: TestEngine = {
  name: "pglite",
  async open() {
    const handle = openDatabase({ databaseUrl: null, pgliteDir: null });
    await migrateDatabase(handle);
    return { ...handle, url: null };
  },
};

const postgresEngine = (serverUrl: string): TestEngine => ({
  name: "postgres",
  async open() {
    const name = `inview_test_${randomBytes(6).toString("hex")}`;
    await adminQuery(serverUrl, `create database ${name}`);
    const url = withDatabase(serverUrl, name);
    const handle = openDatabase({ databaseUrl: url });
    await migrateDatabase(handle);
    return {
      ...handle,
      url,
      close: async () => {
        await handle.close();
        await adminQuery(
          serverUrl,
          `drop database if exists ${name} with (force)`,
        );
      },
    };
  },
});

export function testEngines(): TestEngine[] {
  const url = postgresUrl();
  return url ? [pgliteEngine, postgresEngine(url)] : [pgliteEngine];
}
