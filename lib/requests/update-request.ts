import "server-only";
import { environmentByName, environmentForRequest } from "../environments/queries";
import { assertEmergencyAllowed } from "../environments/rules";
import { ValidationError } from "../errors";
import { defineVerb } from "../verb";
import { costColumns, costCurrencyIssues, costSizeIssues } from "./costing";
import { versionOf } from "./load";
import { lockForEdit, reviseRequest } from "./revise";
import { UpdateRequestInput } from "./schemas";

/**
 * Edits a request. Anything an approver may have seen resets the approvals: in review or approved,
 * the revision goes up, a fresh chain is taken and its approvers are told; after "changes requested"
 * the request returns to draft as the next revision.
 */
export const updateRequest = defineVerb({
  allow: "signed-in",
  input: UpdateRequestInput,
  async run({ work, tx, actor }, input) {
    const request = await lockForEdit(tx, actor, input.number);
    const { number: _n, model, version, ...fields } = input;
    let modelVersionId = request.modelVersionId;
    if (model || version) {
      if (!model || !version)
        throw new ValidationError("Name both the model and the version.", {
          version: ["Name both the model and the version."],
        });
      const found = await versionOf(tx, model, version);
      if (!found)
        throw new ValidationError(`${model} has no version ${version}.`, {
          version: [`${model} has no version ${version}.`],
        });
      if (found.teamId !== request.teamId)
        throw new ValidationError("That model belongs to another team.", {
          model: ["That model belongs to another team."],
        });
      modelVersionId = found.id;
    }
    // A request may keep an environment archived since it was filed; moving to one needs it in use.
    const environment = fields.environment
      ? await environmentForRequest(tx, fields.environment)
      : await environmentByName(tx, request.environment);
    if (fields.environment !== undefined || fields.emergency !== undefined)
      assertEmergencyAllowed(fields.emergency ?? request.emergency, environment);
    const { currency, costBenefit, provisioning, ...plain } = fields;
    const costChanged = currency !== undefined || costBenefit !== undefined || provisioning !== undefined;
    const cost = costChanged
      ? {
          currency: currency ?? request.currency ?? undefined,
          costBenefit: costBenefit !== undefined ? costBenefit : request.costBenefit,
          provisioning: provisioning ?? request.provisioning,
        }
      : null;
    if (cost) {
      const issues = [...costCurrencyIssues(cost), ...costSizeIssues(cost)];
      if (issues.length)
        throw new ValidationError(
          issues[0]!.message,
          Object.fromEntries(issues.map((i) => [i.path.join("."), [i.message]])),
        );
      if (request.kind === "provisioning" && !cost.provisioning.length) {
        throw new ValidationError("A provisioning request lists the resources it needs.", {
          provisioning: ["Add at least one resource line."],
        });
      }
    }
    const changed = Object.keys(input).filter((k) => k !== "number");
    return reviseRequest(work, actor, request, changed, async () => ({
      ...plain,
      ...(cost ? costColumns(cost) : {}),
      modelVersionId,
    }));
  },
});
