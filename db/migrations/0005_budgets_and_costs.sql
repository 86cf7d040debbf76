CREATE TYPE "public"."budget_alert_basis" AS ENUM('actual', 'forecast');--> statement-breakpoint
CREATE TYPE "public"."budget_interval" AS ENUM('month', 'quarter');--> statement-breakpoint
CREATE TYPE "public"."commitment_status" AS ENUM('held', 'released');--> statement-breakpoint
CREATE TABLE "budget_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"budget_id" uuid NOT NULL,
	"basis" "budget_alert_basis" NOT NULL,
	"threshold" integer NOT NULL,
	"value_minor" bigint NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "budget_alerts_once" UNIQUE("budget_id","basis","threshold")
);
--> statement-breakpoint
CREATE TABLE "budget_commitments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"budget_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"amount_minor" bigint NOT NULL,
	"status" "commitment_status" DEFAULT 'held' NOT NULL,
	"release_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "budget_spend" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"budget_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"spent_on" date NOT NULL,
	"description" text NOT NULL,
	"request_id" uuid,
	"recorded_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "budgets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"interval" "budget_interval" NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"currency" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "budgets_team_period" UNIQUE("team_id","period_start","interval"),
	CONSTRAINT "budgets_amount_non_negative" CHECK ("budgets"."amount_minor" >= 0)
);
--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "cost_benefit" jsonb;--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "provisioning" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "change_requests" ADD COLUMN "total_cost_minor" bigint;--> statement-breakpoint
ALTER TABLE "request_steps" ADD COLUMN "evidence" jsonb;--> statement-breakpoint
ALTER TABLE "budget_alerts" ADD CONSTRAINT "budget_alerts_budget_id_budgets_id_fk" FOREIGN KEY ("budget_id") REFERENCES "public"."budgets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_commitments" ADD CONSTRAINT "budget_commitments_budget_id_budgets_id_fk" FOREIGN KEY ("budget_id") REFERENCES "public"."budgets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_commitments" ADD CONSTRAINT "budget_commitments_request_id_change_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."change_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_spend" ADD CONSTRAINT "budget_spend_budget_id_budgets_id_fk" FOREIGN KEY ("budget_id") REFERENCES "public"."budgets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_spend" ADD CONSTRAINT "budget_spend_request_id_change_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."change_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budget_spend" ADD CONSTRAINT "budget_spend_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "budget_commitments_one_held" ON "budget_commitments" USING btree ("request_id") WHERE "budget_commitments"."status" = 'held';--> statement-breakpoint
CREATE INDEX "budget_commitments_budget_idx" ON "budget_commitments" USING btree ("budget_id","status");--> statement-breakpoint
CREATE INDEX "budget_spend_budget_idx" ON "budget_spend" USING btree ("budget_id","spent_on");--> statement-breakpoint
CREATE INDEX "budget_spend_request_idx" ON "budget_spend" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "budgets_team_idx" ON "budgets" USING btree ("team_id","period_start");