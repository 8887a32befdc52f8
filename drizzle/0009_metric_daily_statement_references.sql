ALTER TABLE "metric_daily" DROP CONSTRAINT "metric_daily_connection_id_workspace_id_fk";
--> statement-breakpoint
-- metric_daily references linkedin_connections (id, workspace_id) through
-- statement triggers instead of a foreign key. A foreign key runs one check
-- per inserted row, and these read each statement's distinct connections
-- once.
-- The insert check locks the connections FOR KEY SHARE, as a foreign key
-- does, so a concurrent delete of a connection waits for the writer.
CREATE FUNCTION "metric_daily_check_connections"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  connection_ids uuid[];
  workspace_ids uuid[];
  missing record;
BEGIN
  -- One read of the transition table, because each read of a backfill's
  -- 100,000 rows costs about 10 ms.
  SELECT array_agg(written."connection_id"), array_agg(written."workspace_id")
    INTO connection_ids, workspace_ids
    FROM (SELECT DISTINCT "connection_id", "workspace_id" FROM new_rows) AS written;
  PERFORM 1 FROM "linkedin_connections" AS connections
    WHERE connections."id" = ANY (connection_ids)
    ORDER BY connections."id"
    FOR KEY SHARE;
  SELECT written."connection_id", written."workspace_id" INTO missing
    FROM unnest(connection_ids, workspace_ids)
      AS written("connection_id", "workspace_id")
    WHERE NOT EXISTS (
      SELECT 1 FROM "linkedin_connections" AS connections
      WHERE connections."id" = written."connection_id"
        AND connections."workspace_id" = written."workspace_id"
    )
    LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'metric_daily row references a missing connection'
      USING ERRCODE = 'foreign_key_violation',
        DETAIL = format('Key (connection_id, workspace_id)=(%s, %s) is not present in table "linkedin_connections".',
          missing."connection_id", missing."workspace_id");
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "metric_daily_check_connections_on_insert"
  AFTER INSERT ON "metric_daily"
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "metric_daily_check_connections"();
--> statement-breakpoint
-- The sync's upsert never changes these columns. An update that leaves
-- them out of its SET list, as the upsert's does, does not fire this.
CREATE FUNCTION "metric_daily_reject_key_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'metric_daily rows cannot move to another connection or workspace'
    USING ERRCODE = 'foreign_key_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER "metric_daily_reject_key_change"
  BEFORE UPDATE OF "connection_id", "workspace_id" ON "metric_daily"
  FOR EACH ROW
  WHEN (OLD."connection_id" IS DISTINCT FROM NEW."connection_id"
    OR OLD."workspace_id" IS DISTINCT FROM NEW."workspace_id")
  EXECUTE FUNCTION "metric_daily_reject_key_change"();
--> statement-breakpoint
-- Deleting connections deletes their daily rows, as ON DELETE CASCADE did.
-- Deleting a workspace deletes its connections by cascade, which fires this.
CREATE FUNCTION "metric_daily_delete_with_connections"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "metric_daily" AS daily
    USING (SELECT DISTINCT "id" FROM old_rows) AS removed
    WHERE daily."connection_id" = removed."id";
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "linkedin_connections_delete_metric_daily"
  AFTER DELETE ON "linkedin_connections"
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "metric_daily_delete_with_connections"();
