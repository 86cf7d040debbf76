CREATE TYPE "public"."deployment_outcome" AS ENUM('successful', 'successful_with_issues', 'rolled_back');--> statement-breakpoint
CREATE TYPE "public"."deployment_via" AS ENUM('deployment', 'rollback');--> statement-breakpoint
CREATE TYPE "public"."deployment_retired_reason" AS ENUM('superseded', 'rolled_back');--> statement-breakpoint
CREATE TABLE "model_deployments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"environment" "environment" NOT NULL,
	"model_version_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"via" "deployment_via" DEFAULT 'deployment' NOT NULL,
	"deployed_at" timestamp with time zone NOT NULL,
	"deployed_by" text,
	"retired_at" timestamp with time zone,
	"retired_by" text,
	"retired_reason" "deployment_retired_reason",
	"retired_by_request_id" uuid,
	"note" text
);
--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "outcome" "deployment_outcome";--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "outcome_note" text;--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "outcome_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "outcome_by" text;--> statement-breakpoint
ALTER TABLE "model_deployments" ADD CONSTRAINT "model_deployments_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_deployments" ADD CONSTRAINT "model_deployments_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_deployments" ADD CONSTRAINT "model_deployments_request_id_change_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."change_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_deployments" ADD CONSTRAINT "model_deployments_deployed_by_users_id_fk" FOREIGN KEY ("deployed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_deployments" ADD CONSTRAINT "model_deployments_retired_by_users_id_fk" FOREIGN KEY ("retired_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_deployments" ADD CONSTRAINT "model_deployments_retired_by_request_id_change_requests_id_fk" FOREIGN KEY ("retired_by_request_id") REFERENCES "public"."change_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "model_deployments_one_live_key" ON "model_deployments" USING btree ("model_id","environment") WHERE "model_deployments"."retired_at" is null;--> statement-breakpoint
CREATE INDEX "model_deployments_history_idx" ON "model_deployments" USING btree ("model_id","environment","deployed_at");--> statement-breakpoint
CREATE INDEX "model_deployments_request_idx" ON "model_deployments" USING btree ("request_id");--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_outcome_by_users_id_fk" FOREIGN KEY ("outcome_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Backfill: what is live today, from the requests already deployed (the latest per model and
-- environment); earlier ones retired, superseded by the next or rolled back.
WITH shipped AS (
  SELECT cr.id, cr.number, cr.status, cr.environment, cr.model_version_id, cr.deployed_at, cr.updated_at,
         mv.model_id, lead(cr.id) OVER w AS next_id, lead(cr.deployed_at) OVER w AS next_at
  FROM change_requests cr JOIN model_versions mv ON mv.id = cr.model_version_id
  WHERE cr.kind = 'deployment' AND cr.deployed_at IS NOT NULL
  WINDOW w AS (PARTITION BY mv.model_id, cr.environment ORDER BY cr.deployed_at, cr.number)
),
live AS (
  SELECT DISTINCT ON (model_id, environment) id FROM shipped WHERE status = 'deployed'
  ORDER BY model_id, environment, deployed_at DESC, number DESC
)
INSERT INTO model_deployments
  (model_id, environment, model_version_id, request_id, via, deployed_at, deployed_by,
   retired_at, retired_reason, retired_by_request_id)
SELECT s.model_id, s.environment, s.model_version_id, s.id, 'deployment', s.deployed_at,
       (SELECT a.actor_id FROM audit_events a WHERE a.action = 'request.deployed'
          AND a.entity_id = s.id::text AND a.actor_id IS NOT NULL ORDER BY a.seq DESC LIMIT 1),
       CASE WHEN l.id IS NULL THEN greatest(s.deployed_at, coalesce(s.next_at, s.updated_at)) END,
       CASE WHEN l.id IS NULL THEN
         (CASE WHEN s.status = 'rolled_back' THEN 'rolled_back' ELSE 'superseded' END)::deployment_retired_reason END,
       CASE WHEN l.id IS NULL AND s.status <> 'rolled_back' THEN s.next_id END
FROM shipped s LEFT JOIN live l ON l.id = s.id;
--> statement-breakpoint
UPDATE change_requests SET outcome = 'rolled_back', outcome_at = updated_at
WHERE status = 'rolled_back' AND outcome IS NULL;
