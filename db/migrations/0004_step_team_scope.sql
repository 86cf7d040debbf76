DROP INDEX "request_steps_open_idx";--> statement-breakpoint
ALTER TABLE "request_steps" ADD COLUMN "team_id" uuid;--> statement-breakpoint
ALTER TABLE "request_steps" ADD CONSTRAINT "request_steps_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "request_steps_open_idx" ON "request_steps" USING btree ("status","role","team_id");--> statement-breakpoint
-- Existing team-scoped steps take their request's team (what the chain meant when it was snapshotted).
UPDATE "request_steps" s SET "team_id" = r."team_id" FROM "change_requests" r WHERE r."id" = s."request_id" AND s."scope" = 'requester_team';
