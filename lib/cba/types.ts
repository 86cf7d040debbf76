// The stored shape of a cost-benefit analysis lives beside the schema that stores it (db/ imports
// nothing from lib/); the maths in this folder works on the same types.
export * from "@/db/schema/cost-benefit";
