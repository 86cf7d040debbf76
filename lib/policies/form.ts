import { ValidationError } from "../errors";

/**
 * The policy editor posts conditions as fields and the stages as JSON text; this turns the form into
 * the verb's input. Bad JSON is a field error on "stages", never a 500.
 */
export function policyFromForm(form: Record<string, unknown>) {
  const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  let stages: unknown;
  try {
    stages = JSON.parse(String(form.stages ?? ""));
  } catch {
    throw new ValidationError("The stages are not valid JSON.", {
      stages: [
        'Stages must be JSON: a list of stages, each a list of steps, e.g. [[{"name":"ML lead review","role":"ml_lead","scope":"any","quorum":1,"slaHours":24}]].',
      ],
    });
  }
  const emergency = form.emergency === "yes" ? true : form.emergency === "no" ? false : undefined;
  const hasCost = form.hasCost === "yes" ? true : form.hasCost === "no" ? false : undefined;
  const usesChangedColumn =
    form.usesChangedColumn === "yes" ? true : form.usesChangedColumn === "no" ? false : undefined;
  const costAmount = String(form.costAtLeastAmount ?? "").trim();
  const signals = new Set(list(form.dependencySignals).map(String));
  const dependencies = {
    ...(signals.has("malware") ? { malware: true } : {}),
    ...(signals.has("typosquat") ? { typosquat: true } : {}),
    ...(signals.has("deniedLicence") ? { deniedLicence: true } : {}),
    ...(signals.has("newToOrg") ? { newToOrg: true } : {}),
    ...(signals.has("unpinned") ? { unpinned: true } : {}),
    ...(form.vulnerabilityAtLeast ? { vulnerabilityAtLeast: form.vulnerabilityAtLeast } : {}),
  };
  return {
    id: form.id || undefined,
    expectedVersion: form.expectedVersion || undefined,
    name: form.name,
    description: form.description ?? "",
    active: form.active === "on" || form.active === "true",
    definition: {
      conditions: {
        ...(list(form.kinds).length ? { kinds: list(form.kinds) } : {}),
        ...(list(form.environments).length ? { environments: list(form.environments) } : {}),
        ...(form.minRisk ? { minRisk: form.minRisk } : {}),
        ...(emergency !== undefined ? { emergency } : {}),
        ...(list(form.teamIds).length ? { teamIds: list(form.teamIds) } : {}),
        ...(hasCost !== undefined ? { hasCost } : {}),
        ...(usesChangedColumn !== undefined ? { usesChangedColumn } : {}),
        ...(costAmount
          ? { costAtLeast: { amount: costAmount, currency: String(form.costAtLeastCurrency ?? "") } }
          : {}),
        ...(Object.keys(dependencies).length ? { dependencies } : {}),
      },
      stages,
    },
  };
}
