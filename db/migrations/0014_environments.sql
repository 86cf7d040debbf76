CREATE TABLE "environments" (
	"name" text PRIMARY KEY NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer NOT NULL,
	"protected" boolean DEFAULT false NOT NULL,
	"requires_deployed_in" text,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Environments become data. Every installation starts with the three defaults; the two an older
-- installation already used (staging, production) are among them, so its requests and live
-- deployments keep theirs. Production is protected: what was hard-wired for it now follows the flag.
INSERT INTO "environments" ("name", "position", "protected", "description") VALUES
	('development', 10, false, 'Experiments and integration work.'),
	('staging', 20, false, 'Pre-release checks on production-like data.'),
	('production', 30, true, 'Serves real users.')
ON CONFLICT ("name") DO NOTHING;
--> statement-breakpoint
ALTER TABLE "change_requests" ALTER COLUMN "environment" SET DATA TYPE text USING "environment"::text;--> statement-breakpoint
ALTER TABLE "model_deployments" ALTER COLUMN "environment" SET DATA TYPE text USING "environment"::text;--> statement-breakpoint
ALTER TABLE "environments" ADD CONSTRAINT "environments_requires_deployed_in_environments_name_fk" FOREIGN KEY ("requires_deployed_in") REFERENCES "public"."environments"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "environments_order_idx" ON "environments" USING btree ("position","name") WHERE "environments"."archived_at" is null;--> statement-breakpoint
ALTER TABLE "change_requests" ADD CONSTRAINT "change_requests_environment_environments_name_fk" FOREIGN KEY ("environment") REFERENCES "public"."environments"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_deployments" ADD CONSTRAINT "model_deployments_environment_environments_name_fk" FOREIGN KEY ("environment") REFERENCES "public"."environments"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
DROP TYPE "public"."environment";