ALTER TABLE "change_requests" ADD COLUMN "effective_risk" "risk" DEFAULT 'medium' NOT NULL;--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "risk_factors" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "delegations" ADD COLUMN "role" "role";--> statement-breakpoint
ALTER TABLE "delegations" ADD COLUMN "team_id" uuid;--> statement-breakpoint
ALTER TABLE "delegations" ADD COLUMN "revoked_by" text;--> statement-breakpoint
ALTER TABLE "delegations" ADD CONSTRAINT "delegations_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegations" ADD CONSTRAINT "delegations_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "delegations_from_idx" ON "delegations" USING btree ("from_user_id","ends_at");--> statement-breakpoint
-- Requests filed before effective risk existed carry what their requester declared; the facts are
-- weighed again when they are next submitted (chains already taken never change).
UPDATE "change_requests" SET "effective_risk" = "risk";
