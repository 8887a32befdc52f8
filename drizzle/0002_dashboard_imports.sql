CREATE TABLE "imported_posts" (
	"connection_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"url" text NOT NULL,
	"title" text,
	"published_on" date,
	"impressions" bigint,
	"reactions" bigint,
	"comments" bigint,
	"reshares" bigint,
	"engagements" bigint,
	"file_name" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "imported_posts_connection_id_url_pk" PRIMARY KEY("connection_id","url")
);
--> statement-breakpoint
CREATE TABLE "imported_subjects" (
	"connection_id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"api_connection_id" uuid
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"user_id" text,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"kind" text NOT NULL,
	"first_day" date,
	"last_day" date,
	"rows_read" integer NOT NULL,
	"rows_written" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspace_export_settings" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"api_export_policy" text DEFAULT 'admins_and_own' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "imported_posts" ADD CONSTRAINT "imported_posts_connection_id_linkedin_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."linkedin_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imported_posts" ADD CONSTRAINT "imported_posts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imported_subjects" ADD CONSTRAINT "imported_subjects_connection_id_linkedin_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."linkedin_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imported_subjects" ADD CONSTRAINT "imported_subjects_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imported_subjects" ADD CONSTRAINT "imported_subjects_api_connection_id_linkedin_connections_id_fk" FOREIGN KEY ("api_connection_id") REFERENCES "public"."linkedin_connections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_connection_id_linkedin_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."linkedin_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_export_settings" ADD CONSTRAINT "workspace_export_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imported_posts_workspace_id_idx" ON "imported_posts" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "imported_subjects_workspace_id_idx" ON "imported_subjects" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "imports_workspace_id_created_at_idx" ON "imports" USING btree ("workspace_id","created_at");