ALTER TABLE "rate_limits" DROP CONSTRAINT "rate_limits_user_id_action_window_start_pk";--> statement-breakpoint
ALTER TABLE "rate_limits" ALTER COLUMN "user_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "rate_limits" ADD COLUMN "key" text;--> statement-breakpoint
UPDATE "rate_limits" SET "key" = 'user:' || "user_id";--> statement-breakpoint
ALTER TABLE "rate_limits" ALTER COLUMN "key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "rate_limits" ADD CONSTRAINT "rate_limits_key_action_window_start_pk" PRIMARY KEY("key","action","window_start");--> statement-breakpoint
CREATE INDEX "rate_limits_user_id_idx" ON "rate_limits" USING btree ("user_id");
