// Plausible inputs an allowed caller would send, shared by the tests that call every route and action
// (access-enumerated: a missing permission check shows as a change; fuzz: the base that mutations bend).

export function sampleParts(ids: { fraudTeam: string; today: string; monthStart: string }) {
  return {
    inAWeek: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
    budget: { teamId: ids.fraudTeam, interval: "month", periodStart: ids.monthStart, currency: "USD", amount: "1000" },
    spend: { amount: "100", spentOn: ids.today, description: "GPU hours" },
    environment: {
      name: "canary",
      position: "25",
      protected: "false",
      requiresDeployedIn: "staging",
      description: "A slice of traffic.",
    },
    // An MLflow tracking server nobody listens on (port 9, discard): a connect is refused at once,
    // never reaching the network; the picked model's name need not exist.
    mlflowConnection: { url: "http://127.0.0.1:9", token: "mlflow-sample-token" },
    mlflowPick: { mlflowName: "Fraud Scorer", teamId: ids.fraudTeam },
    version: { version: "v99", sourceUri: "s3://m/v99", framework: "xgboost", datasetName: "tx", datasetVersion: "1" },
    // The directory group mapping (PUT /api/v1/sso/group-mapping; the admin page sends the same as text).
    groupMapping: { rules: [{ group: "ml-leads", roles: ["ml_lead"], teams: ["Fraud"] }] },
    groupMappingText: "ml-leads: ml_lead, team Fraud",
    // A policy only requesters decide, matching nothing real (a fuzzed or replayed one changes no chain).
    policy: {
      name: "Sampled policy",
      description: "From the shared samples.",
      active: true,
      definition: {
        conditions: { kinds: ["dependency_adoption"], minRisk: "high", emergency: true },
        stages: [[{ name: "Anyone", role: "requester", scope: "any", quorum: 1, slaHours: 24, autoPass: "never" }]],
      },
    },
    policyDocument: [
      "# one policy, the others left alone (no --prune)",
      "policies:",
      "  - name: Sampled document policy",
      "    conditions: { kinds: [dependency_adoption], minRisk: high, emergency: true }",
      "    stages:",
      "      - steps:",
      "          - { name: Anyone, role: requester, scope: any, quorum: 1, slaHours: 24 }",
      "",
    ].join("\n"),
    request: {
      kind: "deployment",
      title: "Ship it sideways",
      model: "fraud-detector",
      version: "v1",
      environment: "production",
      risk: "low",
    },
  };
}
