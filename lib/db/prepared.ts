import type { Database } from "./client";

/**
 * Returns a getter that builds a query once per database handle and hands
 * out the same prepared query afterwards.
 *
 * Drizzle builds a query's SQL text anew on every call. For the short
 * lookups each page makes (the session, the memberships, the consent), the
 * building took about three times the CPU time of pg's own work, measured
 * with a loop of 3,000 queries. A prepared query keeps its SQL text and only
 * binds new placeholder values. On Postgres the name also makes each pooled
 * connection parse the statement once. Names must be unique in the app,
 * since Postgres keeps one statement per name and connection.
 *
 * The cache is keyed by handle, so a transaction gets its own prepared
 * query that runs inside it.
 */
export function preparedQuery<Query>(
  build: (database: Database) => Query,
): (database: Database) => Query {
  const built = new WeakMap<Database, Query>();
  return (database) => {
    let query = built.get(database);
    if (query === undefined) {
      query = build(database);
      built.set(database, query);
    }
    return query;
  };
}
