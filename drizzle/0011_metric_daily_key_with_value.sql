-- Every read of metric_daily filters on connection ids. With the value and
-- the workspace id in the primary key, each read is an index-only scan of
-- that key. The workspace index is no longer read, and it slowed every insert.
DROP INDEX "metric_daily_workspace_id_metric_day_connection_id_value_idx";--> statement-breakpoint
ALTER TABLE "metric_daily" DROP CONSTRAINT "metric_daily_connection_id_metric_day_pk", ADD CONSTRAINT "metric_daily_connection_id_metric_day_pk" PRIMARY KEY ("connection_id","metric","day") INCLUDE ("value","workspace_id");
