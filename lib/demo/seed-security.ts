import "server-only";
import type { Db } from "@/db";
import { loadActor } from "../auth/load-actor";
import { createRequest } from "../requests/create-request";
import { submitRequest } from "../requests/submit-request";
import { createAllowlistEntry } from "../security/allowlist";
import { importAdvisories } from "../security/import-advisories";
import { uploadManifest } from "../requests/upload-manifest";
import { findUserByEmail } from "../users/queries";
import { DEMO_ADVISORIES } from "./advisories";

/**
 * The demo's dependency review: a small advisory snapshot, an allowlist with the usual numerical
 * stack, and Bob's request to adopt new libraries waiting in the security queue.
 */
export async function seedDemoSecurity(db: Db) {
  const as = async (email: string) => {
    const user = await findUserByEmail(db, email);
    const actor = user && (await loadActor(db, user.id));
    if (!actor) throw new Error(`demo user ${email} is missing`);
    return { db, actor };
  };
  const [sam, bob] = [await as("sam@example.com"), await as("bob@example.com")];
  await importAdvisories(sam, [
    { name: "demo-advisories.json", bytes: new TextEncoder().encode(JSON.stringify(DEMO_ADVISORIES)) },
  ]);
  for (const [name, range] of [
    ["numpy", ">=1.24,<3"],
    ["scipy", ">=1.11,<2"],
    ["scikit-learn", ">=1.3,<2"],
  ] as const) {
    await createAllowlistEntry(sam, {
      ecosystem: "PyPI",
      name,
      versionRange: range,
      reason: "Core numerical stack, reviewed by security",
      expiresInDays: 365,
    });
  }
  const { number } = await createRequest(bob, {
    kind: "dependency_adoption",
    environment: "production",
    title: "Adopt sentence-transformers for query embeddings",
    description: "The ranker needs dense query embeddings.",
  });
  await uploadManifest(bob, {
    number,
    fileName: "requirements.txt",
    content: [
      "# search-ranker serving image",
      "numpy==1.26.4",
      "sentence-transformers==2.7.0",
      "torch==2.1.0+cu118",
      "transformers>=4.40",
      "jinja2==2.10",
      'pywin32==306; sys_platform == "win32"',
    ].join("\n"),
  });
  await submitRequest(bob, { number });
  return 1;
}
