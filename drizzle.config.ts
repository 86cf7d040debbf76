import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` is used: it diffs db/schema against db/migrations and needs no database.
// Migrations are applied by `npm run db:migrate`, which reaches the embedded database safely.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  strict: true,
  verbose: true,
});
