ALTER TABLE "request_dependencies" ADD COLUMN "decision_told_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "request_dependencies_untold_idx" ON "request_dependencies" USING btree ("request_id","decided_at") WHERE "request_dependencies"."decided_at" is not null and "request_dependencies"."decision_told_at" is null;--> statement-breakpoint
-- Decisions made before batches existed were shown on the page at the time: an upgrade must not mail them now.
UPDATE "request_dependencies" SET "decision_told_at" = "decided_at" WHERE "decided_at" IS NOT NULL;
