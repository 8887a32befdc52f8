-- The same function as in 0008, with one change: the month of a day is
-- truncated as a timestamp without time zone. A date passed to date_trunc
-- became a timestamp with time zone, converted through the session's time
-- zone for every row. For a backfill's 116,800 rows the monthly sums took
-- 100 ms with that conversion and 85 ms without (auto_explain, 2-core VM).
-- The month is the same either way.
CREATE OR REPLACE FUNCTION "metric_sums_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  deleted bigint;
  zero_workspaces uuid[];
  zero_day_metrics text[];
  zero_days date[];
  zero_connections uuid[];
  zero_month_metrics text[];
  zero_months date[];
BEGIN
  -- Two syncs of one workspace change the same workspace sums, and each
  -- statement can fire two of these triggers, so row locks alone could be
  -- taken in opposite orders and deadlock. A transaction-long lock per
  -- workspace, taken in workspace order, makes them queue instead.
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_advisory_xact_lock(20260801, hashtext(ids."workspace_id"::text))
      FROM (SELECT DISTINCT "workspace_id" FROM old_rows ORDER BY 1) AS ids;
  ELSE
    PERFORM pg_advisory_xact_lock(20260801, hashtext(ids."workspace_id"::text))
      FROM (SELECT DISTINCT "workspace_id" FROM new_rows ORDER BY 1) AS ids;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    -- Subtracting only updates: a sum whose workspace or connection is
    -- being deleted in the same statement is already gone, and must not
    -- come back as a negative row. The sums that reach zero are collected
    -- from the updates, so a large delete is read once per table.
    WITH changed AS (
      UPDATE "workspace_daily_sums" AS sums
        SET "value" = sums."value" - old_sums."value"
        FROM (
          SELECT "workspace_id", "metric", "day", sum("value") AS "value"
          FROM old_rows WHERE "source" = 'api'
          GROUP BY "workspace_id", "metric", "day"
        ) AS old_sums
        WHERE sums."workspace_id" = old_sums."workspace_id"
          AND sums."metric" = old_sums."metric"
          AND sums."day" = old_sums."day"
        RETURNING sums."workspace_id", sums."metric", sums."day", sums."value"
    )
    SELECT array_agg(changed."workspace_id"), array_agg(changed."metric"),
        array_agg(changed."day")
      INTO zero_workspaces, zero_day_metrics, zero_days
      FROM changed WHERE changed."value" = 0;
    WITH changed AS (
      UPDATE "connection_monthly_sums" AS sums
        SET "value" = sums."value" - old_sums."value"
        FROM (
          SELECT "connection_id", "metric",
            date_trunc('month', "day"::timestamp)::date AS "month", sum("value") AS "value"
          FROM old_rows WHERE "source" = 'api'
          GROUP BY "connection_id", "metric", date_trunc('month', "day"::timestamp)
        ) AS old_sums
        WHERE sums."connection_id" = old_sums."connection_id"
          AND sums."metric" = old_sums."metric"
          AND sums."month" = old_sums."month"
        RETURNING sums."connection_id", sums."metric", sums."month", sums."value"
    )
    SELECT array_agg(changed."connection_id"), array_agg(changed."metric"),
        array_agg(changed."month")
      INTO zero_connections, zero_month_metrics, zero_months
      FROM changed WHERE changed."value" = 0;
  END IF;
  IF TG_OP = 'DELETE' THEN
    -- A missing sum reads as zero, and a zero left behind by a delete would
    -- still show which months a removed connection had data for.
    DELETE FROM "workspace_daily_sums" AS sums
      USING unnest(zero_workspaces, zero_day_metrics, zero_days)
        AS zeroed("workspace_id", "metric", "day")
      WHERE sums."workspace_id" = zeroed."workspace_id"
        AND sums."metric" = zeroed."metric"
        AND sums."day" = zeroed."day"
        AND sums."value" = 0;
    -- Deletion receipts count every row removed, these included. The
    -- tallies are transaction-local settings, read by the code that writes
    -- the receipt (lib/privacy/cascade.ts).
    GET DIAGNOSTICS deleted = ROW_COUNT;
    PERFORM set_config('inview.deleted_workspace_daily_sums',
      (coalesce(nullif(current_setting('inview.deleted_workspace_daily_sums', true), ''), '0')::bigint
        + deleted)::text, true);
    DELETE FROM "connection_monthly_sums" AS sums
      USING unnest(zero_connections, zero_month_metrics, zero_months)
        AS zeroed("connection_id", "metric", "month")
      WHERE sums."connection_id" = zeroed."connection_id"
        AND sums."metric" = zeroed."metric"
        AND sums."month" = zeroed."month"
        AND sums."value" = 0;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    PERFORM set_config('inview.deleted_connection_monthly_sums',
      (coalesce(nullif(current_setting('inview.deleted_connection_monthly_sums', true), ''), '0')::bigint
        + deleted)::text, true);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "workspace_daily_sums" AS sums
        ("workspace_id", "metric", "day", "value")
      SELECT "workspace_id", "metric", "day", sum("value")
      FROM new_rows WHERE "source" = 'api'
      GROUP BY "workspace_id", "metric", "day"
      ON CONFLICT ("workspace_id", "metric", "day")
        DO UPDATE SET "value" = sums."value" + excluded."value";
    INSERT INTO "connection_monthly_sums" AS sums
        ("workspace_id", "connection_id", "metric", "month", "value")
      SELECT "workspace_id", "connection_id", "metric",
        date_trunc('month', "day"::timestamp)::date, sum("value")
      FROM new_rows WHERE "source" = 'api'
      GROUP BY "workspace_id", "connection_id", "metric", date_trunc('month', "day"::timestamp)
      ON CONFLICT ("connection_id", "metric", "month")
        DO UPDATE SET "value" = sums."value" + excluded."value";
  END IF;
  RETURN NULL;
END
$$;
