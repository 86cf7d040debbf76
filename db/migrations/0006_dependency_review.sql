CREATE TYPE "public"."allowlist_action" AS ENUM('approve', 'ignore_vulnerability', 'licence_override');--> statement-breakpoint
CREATE TYPE "public"."package_decision" AS ENUM('pending', 'approved', 'rejected');--> statement-breakpoint
CREATE TABLE "advisories" (
	"id" text PRIMARY KEY NOT NULL,
	"modified" timestamp with time zone NOT NULL,
	"withdrawn" timestamp with time zone,
	"summary" text,
	"record" jsonb NOT NULL,
	"source" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "advisory_packages" (
	"advisory_id" text NOT NULL,
	"ecosystem" text NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "advisory_packages_advisory_id_ecosystem_name_pk" PRIMARY KEY("advisory_id","ecosystem","name")
);
--> statement-breakpoint
CREATE TABLE "allowlist_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ecosystem" text NOT NULL,
	"normalized_name" text NOT NULL,
	"version_range" text NOT NULL,
	"team_id" uuid,
	"action" "allowlist_action" NOT NULL,
	"vulnerability_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reason" text NOT NULL,
	"approved_by" text,
	"approved_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dependency_manifests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"file_name" text NOT NULL,
	"format" text NOT NULL,
	"content" text NOT NULL,
	"target" jsonb NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"advisory_snapshot_at" timestamp with time zone,
	"uploaded_by" text,
	"current" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_dependencies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"manifest_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"ecosystem" text NOT NULL,
	"name" text NOT NULL,
	"normalized_name" text NOT NULL,
	"spec" text,
	"pinned_version" text,
	"kind" text NOT NULL,
	"extras" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"marker" text,
	"marker_result" text,
	"hashes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"direct" boolean NOT NULL,
	"line" integer,
	"url" text,
	"licence" text,
	"has_install_script" boolean DEFAULT false NOT NULL,
	"findings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"licence_status" text NOT NULL,
	"signals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"new_to_org" boolean NOT NULL,
	"decision" "package_decision" DEFAULT 'pending' NOT NULL,
	"decision_reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "advisory_packages" ADD CONSTRAINT "advisory_packages_advisory_id_advisories_id_fk" FOREIGN KEY ("advisory_id") REFERENCES "public"."advisories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowlist_entries" ADD CONSTRAINT "allowlist_entries_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allowlist_entries" ADD CONSTRAINT "allowlist_entries_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dependency_manifests" ADD CONSTRAINT "dependency_manifests_request_id_change_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."change_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dependency_manifests" ADD CONSTRAINT "dependency_manifests_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_dependencies" ADD CONSTRAINT "request_dependencies_manifest_id_dependency_manifests_id_fk" FOREIGN KEY ("manifest_id") REFERENCES "public"."dependency_manifests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_dependencies" ADD CONSTRAINT "request_dependencies_request_id_change_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."change_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_dependencies" ADD CONSTRAINT "request_dependencies_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "advisory_packages_lookup_idx" ON "advisory_packages" USING btree ("ecosystem","name");--> statement-breakpoint
CREATE INDEX "allowlist_entries_name_idx" ON "allowlist_entries" USING btree ("ecosystem","normalized_name");--> statement-breakpoint
CREATE INDEX "dependency_manifests_request_idx" ON "dependency_manifests" USING btree ("request_id","current");--> statement-breakpoint
CREATE INDEX "request_dependencies_manifest_idx" ON "request_dependencies" USING btree ("manifest_id");--> statement-breakpoint
CREATE INDEX "request_dependencies_name_idx" ON "request_dependencies" USING btree ("ecosystem","normalized_name");