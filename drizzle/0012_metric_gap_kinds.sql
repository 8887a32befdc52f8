-- A gap is either days LinkedIn's endpoint does not serve or days no sync
-- wrote after a long break. The dashboard subtracts the second kind from an
-- API connection's stored span, so those days chart as missing, not as 0.
ALTER TABLE "metric_gaps" ADD COLUMN "kind" text DEFAULT 'not_served' NOT NULL;
