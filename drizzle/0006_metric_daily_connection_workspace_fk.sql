CREATE UNIQUE INDEX "linkedin_connections_id_workspace_id_idx" ON "linkedin_connections" USING btree ("id","workspace_id");--> statement-breakpoint
ALTER TABLE "metric_daily" DROP CONSTRAINT "metric_daily_workspace_id_workspaces_id_fk";
--> statement-breakpoint
ALTER TABLE "metric_daily" DROP CONSTRAINT "metric_daily_connection_id_linkedin_connections_id_fk";
--> statement-breakpoint
ALTER TABLE "metric_daily" ADD CONSTRAINT "metric_daily_connection_id_workspace_id_fk" FOREIGN KEY ("connection_id","workspace_id") REFERENCES "public"."linkedin_connections"("id","workspace_id") ON DELETE cascade ON UPDATE no action;
