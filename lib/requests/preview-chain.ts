import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { environments } from "@/db/schema";
import type { UserActor } from "../auth/actor";
import { buildChain } from "../policies/chain";
import { activePolicies } from "../policies/queries";
import { versionOf } from "./load";
import { changesSinceTraining } from "../datasets/affected";
import { holdersOf } from "../users/people";
import { ruleFor } from "../policies/auto-pass";
import { costColumns } from "./costing";
import { RequestFields } from "./schemas";
import type { Risk } from "@/db/schema/requests";
import { assessFields } from "./assess-risk";
import { requestShortfalls } from "./chain-capacity";
import { riskRaisedBy } from "./risk";

export type ChainPreview =
  | {
      steps: {
        stage: number;
        name: string;
        role: string;
        scope: string;
        quorum: number;
        autoPass: string | null;
        policies: string[];
        approvers: string[];
      }[];
      /** Why the chain could never complete as things stand (submitting would be refused with these). */
      warnings: string[];
      /** The risk policies will match on, and what raised it above the declared one (null when nothing did). */
      risk: { effective: Risk; raisedBy: string | null };
    }
  | { error: string };

/** Who would have to approve this request if it were submitted now, and which policy asks. Saves nothing. */
export async function previewChain(db: Db, actor: UserActor, input: unknown): Promise<ChainPreview> {
  const parsed = RequestFields.safeParse(input);
  if (!parsed.success) {
    const costs = parsed.error.issues.some((i) =>
      ["currency", "costBenefit", "provisioning"].includes(String(i.path[0])),
    );
    return {
      error: costs
        ? "Fix the cost fields to see who will approve."
        : "Fill in the environment (and the model version) to see who will approve.",
    };
  }
  const v = parsed.data;
  const version = v.model && v.version ? await versionOf(db, v.model, v.version) : null;
  if (v.kind === "deployment" && !version)
    return { error: "Choose a registered model version to see who will approve." };
  const teamId = version?.teamId ?? actor.teamIds[0];
  if (!teamId) return { error: "You belong to no team: ask an admin to add you to one." };
  const { currency, totalCostMinor } = costColumns(v);
  // A request being filed has no manifest yet: its fields alone say what its risk is.
  const [environment] = await db
    .select({ protected: environments.protected, archivedAt: environments.archivedAt })
    .from(environments)
    .where(eq(environments.name, v.environment));
  if (!environment || environment.archivedAt) return { error: "Choose an environment in use to see who will approve." };
  const assessed = assessFields({ ...v, currency, totalCostMinor }, environment.protected);
  const chain = buildChain(await activePolicies(db), {
    kind: v.kind,
    environment: v.environment,
    effectiveRisk: assessed.risk,
    emergency: v.emergency,
    teamId,
    currency,
    totalCostMinor,
    usesChangedColumn: version ? Boolean((await changesSinceTraining(db, version.id))?.changed.length) : false,
  });
  const shortfalls = await requestShortfalls(
    db,
    { requestedBy: actor.id, teamId, modelVersionId: version?.id ?? null },
    chain,
  );
  const steps = await Promise.all(
    chain.map(async (s) => ({
      stage: s.stage,
      name: s.name,
      role: s.role,
      scope: s.scope,
      quorum: s.quorum,
      autoPass: s.autoPass === "never" ? null : ruleFor(s.autoPass).description,
      policies: s.policies.map((p) => `${p.name} v${p.version}`),
      approvers: (await holdersOf(db, s.role, s.scope === "requester_team" ? teamId : undefined))
        // Never the requester nor the version's author: the decide verb would refuse them.
        .filter((p) => p.id !== actor.id && p.id !== version?.author)
        .map((p) => p.name ?? p.email),
    })),
  );
  return {
    steps,
    warnings: shortfalls.map((f) => `${f.message}: submitting would be refused until an admin fixes this.`),
    risk: {
      effective: assessed.risk,
      raisedBy: riskRaisedBy({ risk: assessed.risk, declared: v.risk, factors: assessed.factors }),
    },
  };
}
