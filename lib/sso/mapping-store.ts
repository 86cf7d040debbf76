import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { orgSettings } from "@/db/schema";
import { EMPTY_MAPPING, type GroupMapping } from "./group-mapping";

export const GROUP_MAPPING_KEY = "sso_group_mapping";

/** The directory group mapping (org_settings); none until an admin saves one. */
export async function groupMapping(db: Db | Tx): Promise<GroupMapping> {
  const [row] = await db
    .select({ value: orgSettings.value })
    .from(orgSettings)
    .where(eq(orgSettings.key, GROUP_MAPPING_KEY));
  return row ? (row.value as unknown as GroupMapping) : EMPTY_MAPPING;
}
