CREATE TABLE "api_budgets" (
	"budget_key" text NOT NULL,
	"day" date NOT NULL,
	"used" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "api_budgets_budget_key_day_pk" PRIMARY KEY("budget_key","day")
);
--> statement-breakpoint
CREATE TABLE "connection_health" (
	"connection_id" uuid PRIMARY KEY NOT NULL,
	"last_error" text,
	"last_error_path" text,
	"last_error_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"purge_after" timestamp with time zone,
	"purged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "integration_status" (
	"key" text PRIMARY KEY NOT NULL,
	"details" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_checkpoints" (
	"connection_id" uuid PRIMARY KEY NOT NULL,
	"completed_steps" text[] NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unavailable_metrics" (
	"connection_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"missing_scope" text,
	"missing_role" text,
	"reason" text NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unavailable_metrics_connection_id_metric_pk" PRIMARY KEY("connection_id","metric")
);
--> statement-breakpoint
ALTER TABLE "api_calls" ADD COLUMN "budget_remaining" integer;--> statement-breakpoint
ALTER TABLE "connection_health" ADD CONSTRAINT "connection_health_connection_id_linkedin_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."linkedin_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_checkpoints" ADD CONSTRAINT "sync_checkpoints_connection_id_linkedin_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."linkedin_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unavailable_metrics" ADD CONSTRAINT "unavailable_metrics_connection_id_linkedin_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."linkedin_connections"("id") ON DELETE cascade ON UPDATE no action;