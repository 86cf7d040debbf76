CREATE TYPE "public"."mlflow_write_back_state" AS ENUM('pending', 'sending', 'done', 'failed');--> statement-breakpoint
CREATE TABLE "mlflow_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slot" text DEFAULT 'default' NOT NULL,
	"url" text NOT NULL,
	"token" text,
	"databricks_host" text,
	"aliases" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sync_lease_until" timestamp with time zone,
	"sync_started_at" timestamp with time zone,
	"sync_finished_at" timestamp with time zone,
	"sync_progress" jsonb,
	"last_sync_error" text,
	CONSTRAINT "mlflow_connections_slot_unique" UNIQUE("slot")
);
--> statement-breakpoint
CREATE TABLE "mlflow_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"mlflow_name" text NOT NULL,
	"model_id" uuid NOT NULL,
	"picked_by" text NOT NULL,
	"picked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"page_token" text,
	"imported_count" integer DEFAULT 0 NOT NULL,
	"last_synced_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "mlflow_version_links" (
	"model_version_id" uuid PRIMARY KEY NOT NULL,
	"connection_id" uuid,
	"tracking_url" text NOT NULL,
	"mlflow_name" text NOT NULL,
	"mlflow_version" text NOT NULL,
	"run_id" text,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mlflow_write_backs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"request_number" integer NOT NULL,
	"mlflow_name" text NOT NULL,
	"mlflow_version" text NOT NULL,
	"status" text NOT NULL,
	"alias" text,
	"state" "mlflow_write_back_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sending_since" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "mlflow_connections" ADD CONSTRAINT "mlflow_connections_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mlflow_models" ADD CONSTRAINT "mlflow_models_connection_id_mlflow_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."mlflow_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mlflow_models" ADD CONSTRAINT "mlflow_models_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mlflow_models" ADD CONSTRAINT "mlflow_models_picked_by_users_id_fk" FOREIGN KEY ("picked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mlflow_version_links" ADD CONSTRAINT "mlflow_version_links_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mlflow_version_links" ADD CONSTRAINT "mlflow_version_links_connection_id_mlflow_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."mlflow_connections"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mlflow_write_backs" ADD CONSTRAINT "mlflow_write_backs_connection_id_mlflow_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."mlflow_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mlflow_write_backs" ADD CONSTRAINT "mlflow_write_backs_request_id_change_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."change_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mlflow_models_connection_name_idx" ON "mlflow_models" USING btree ("connection_id","mlflow_name");--> statement-breakpoint
CREATE UNIQUE INDEX "mlflow_models_model_idx" ON "mlflow_models" USING btree ("model_id");--> statement-breakpoint
CREATE UNIQUE INDEX "mlflow_version_links_key_idx" ON "mlflow_version_links" USING btree ("connection_id","mlflow_name","mlflow_version");--> statement-breakpoint
CREATE INDEX "mlflow_write_backs_due_idx" ON "mlflow_write_backs" USING btree ("next_attempt_at") WHERE state in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "mlflow_write_backs_version_idx" ON "mlflow_write_backs" USING btree ("mlflow_name","mlflow_version","created_at");