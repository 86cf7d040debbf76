import type { PolicyDefinition } from "@/db/schema/governance";

// The policies a new installation starts with (also the demo's).
export const SEED_POLICIES: { name: string; description: string; definition: PolicyDefinition }[] = [
  {
    name: "Staging deployments",
    description: "Any deployment to staging needs an ML lead.",
    definition: {
      conditions: { kinds: ["deployment"], environments: ["staging"] },
      stages: [[{ name: "ML lead review", role: "ml_lead", scope: "any", quorum: 1, slaHours: 24, autoPass: "never" }]],
    },
  },
  {
    name: "Production deployments",
    description: "Security and the team's manager in parallel, then an ML lead.",
    definition: {
      conditions: { kinds: ["deployment"], environments: ["production"] },
      stages: [
        [
          {
            name: "Security review",
            role: "security",
            scope: "any",
            quorum: 1,
            slaHours: 48,
            autoPass: "all_dependencies_allowlisted",
          },
          {
            name: "Manager sign-off",
            role: "manager",
            scope: "requester_team",
            quorum: 1,
            slaHours: 48,
            autoPass: "never",
          },
        ],
        [{ name: "ML lead approval", role: "ml_lead", scope: "any", quorum: 1, slaHours: 24, autoPass: "never" }],
      ],
    },
  },
  {
    name: "New libraries",
    description: "Adopting libraries needs the security team, unless every one is already on the allowlist.",
    definition: {
      conditions: { kinds: ["dependency_adoption"] },
      stages: [
        [
          {
            name: "Security review",
            role: "security",
            scope: "any",
            quorum: 1,
            slaHours: 48,
            autoPass: "all_dependencies_allowlisted",
          },
        ],
      ],
    },
  },
  {
    name: "High-risk changes",
    description: "High risk asks a second ML lead.",
    definition: {
      conditions: { minRisk: "high" },
      stages: [[{ name: "Two ML leads", role: "ml_lead", scope: "any", quorum: 2, slaHours: 24, autoPass: "never" }]],
    },
  },
  {
    name: "Budget check",
    description: "A costed request needs its team's manager, unless it fits what remains of the team's budget.",
    definition: {
      conditions: { hasCost: true },
      stages: [
        [
          {
            name: "Budget approval",
            role: "manager",
            scope: "requester_team",
            quorum: 1,
            slaHours: 48,
            autoPass: "within_team_budget",
          },
        ],
      ],
    },
  },
  {
    name: "Large spend",
    description: "Costs of 10,000 USD or more need two managers of the team, whatever the budget says.",
    definition: {
      conditions: { costAtLeast: { amount: "10000", currency: "USD" } },
      stages: [
        [
          {
            name: "Budget approval (two managers)",
            role: "manager",
            scope: "requester_team",
            quorum: 2,
            slaHours: 72,
            autoPass: "never",
          },
        ],
      ],
    },
  },
];
