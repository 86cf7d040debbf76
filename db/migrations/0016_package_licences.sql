CREATE TABLE "package_licences" (
	"ecosystem" text NOT NULL,
	"name" text NOT NULL,
	"version" text NOT NULL,
	"licence" text,
	"fetched_at" timestamp with time zone NOT NULL,
	CONSTRAINT "package_licences_ecosystem_name_version_pk" PRIMARY KEY("ecosystem","name","version")
);
