CREATE TABLE "post_metric_daily" (
	"workspace_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"post_urn" text NOT NULL,
	"metric" text NOT NULL,
	"day" date NOT NULL,
	"value" bigint NOT NULL,
	"source" text DEFAULT 'api' NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "post_metric_daily_connection_id_post_urn_metric_day_pk" PRIMARY KEY("connection_id","post_urn","metric","day")
);
--> statement-breakpoint
ALTER TABLE "post_metric_daily" ADD CONSTRAINT "post_metric_daily_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_metric_daily" ADD CONSTRAINT "post_metric_daily_connection_id_linkedin_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."linkedin_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "post_metric_daily_workspace_id_post_urn_idx" ON "post_metric_daily" USING btree ("workspace_id","post_urn");--> statement-breakpoint
CREATE INDEX "api_calls_connection_id_idx" ON "api_calls" USING btree ("connection_id");