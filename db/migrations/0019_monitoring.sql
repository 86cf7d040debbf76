CREATE TYPE "public"."monitoring_alert_outcome" AS ENUM('opened', 'added', 'repeat', 'resolved', 'ignored');--> statement-breakpoint
CREATE TYPE "public"."monitoring_action" AS ENUM('rollback', 'retrain');--> statement-breakpoint
CREATE TABLE "monitoring_alert_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fingerprint" text NOT NULL,
	"alert_name" text NOT NULL,
	"source" text NOT NULL,
	"model_id" uuid NOT NULL,
	"model_version_id" uuid NOT NULL,
	"environment" text NOT NULL,
	"action" "monitoring_action" NOT NULL,
	"request_id" uuid NOT NULL,
	"status" text NOT NULL,
	"starts_at" timestamp with time zone,
	"firings" integer DEFAULT 1 NOT NULL,
	"deliveries" integer DEFAULT 1 NOT NULL,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"annotations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"generator_url" text,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "monitoring_alert_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source" text NOT NULL,
	"alert_name" text NOT NULL,
	"status" text NOT NULL,
	"fingerprint" text NOT NULL,
	"model" text,
	"version" text,
	"environment" text,
	"labels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"outcome" "monitoring_alert_outcome" NOT NULL,
	"reason" text,
	"request_number" integer,
	"received_by" text
);
--> statement-breakpoint
CREATE TABLE "monitoring_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"model_label" text DEFAULT 'model' NOT NULL,
	"version_label" text DEFAULT 'model_version' NOT NULL,
	"environment_label" text DEFAULT 'environment' NOT NULL,
	"default_action" "monitoring_action" DEFAULT 'rollback' NOT NULL,
	"actions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "monitoring_alert_links" ADD CONSTRAINT "monitoring_alert_links_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_alert_links" ADD CONSTRAINT "monitoring_alert_links_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_alert_links" ADD CONSTRAINT "monitoring_alert_links_request_id_change_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."change_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_settings" ADD CONSTRAINT "monitoring_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_alert_links_open_key" ON "monitoring_alert_links" USING btree ("fingerprint","model_version_id","environment") WHERE closed_at is null;--> statement-breakpoint
CREATE INDEX "monitoring_alert_links_request_idx" ON "monitoring_alert_links" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "monitoring_alert_log_received_idx" ON "monitoring_alert_log" USING btree ("received_at");