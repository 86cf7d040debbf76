import "server-only";
import { changeRequests } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { Forbidden, ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { environmentForRequest } from "../environments/queries";
import { assertEmergencyAllowed } from "../environments/rules";
import { assessFields } from "./assess-risk";
import { costColumns } from "./costing";
import { versionOf } from "./load";
import { mayFileFor } from "./permissions";
import { CreateRequestInput } from "./schemas";

/** Files a change request as a draft; nobody is asked anything until it is submitted. */
export const createRequest = defineVerb({
  allow: ["requester", "admin"],
  peopleOnly: true,
  input: CreateRequestInput,
  async run({ tx, actor, now }, input) {
    if (actor.kind !== "user") throw new Forbidden("A change request is filed by a person.");
    let modelVersionId: string | null = null;
    let teamId = actor.teamIds[0];
    if (input.model && input.version) {
      const version = await versionOf(tx, input.model, input.version);
      if (!version)
        throw new ValidationError(`${input.model} has no version ${input.version}.`, {
          version: [`${input.model} has no version ${input.version}.`],
        });
      if (input.digest && input.digest !== version.artifactDigest) {
        const message = version.artifactDigest
          ? `${input.model} ${input.version} records the artifact ${version.artifactDigest}, not ${input.digest}.`
          : `${input.model} ${input.version} records no artifact digest: register it with its digest first.`;
        throw new ValidationError(message, { digest: [message] });
      }
      modelVersionId = version.id;
      teamId = version.teamId;
    }
    if (!teamId)
      throw new ValidationError("You belong to no team: ask an admin to add you to one.", {
        model: ["You belong to no team."],
      });
    if (!mayFileFor(actor, teamId)) {
      throw new Forbidden("You can file requests for your own team's models only.");
    }
    const environment = await environmentForRequest(tx, input.environment);
    assertEmergencyAllowed(input.emergency, environment);
    const cost = costColumns(input);
    // A new request has no manifest yet: its risk is its fields' (raised again when one is uploaded).
    const assessed = assessFields({ ...input, ...cost }, environment.protected);
    const [request] = await tx
      .insert(changeRequests)
      .values({
        kind: input.kind,
        title: input.title,
        description: input.description,
        modelVersionId,
        environment: input.environment,
        risk: input.risk,
        effectiveRisk: assessed.risk,
        riskFactors: assessed.factors,
        emergency: input.emergency,
        ...cost,
        requestedBy: actor.id,
        teamId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordAudit(
      tx,
      actor,
      {
        action: "request.created",
        entityType: "change_request",
        entityId: request!.id,
        data: {
          number: request!.number,
          title: input.title,
          kind: input.kind,
          model: input.model,
          version: input.version,
          digest: input.digest,
          environment: input.environment,
          currency: request!.currency,
          totalCostMinor: request!.totalCostMinor,
        },
      },
      now,
    );
    return request!;
  },
});
