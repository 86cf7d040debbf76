// A small OSV snapshot shipped with the demo so its dependency reviews find something without any
// network. Real imports come from OSV dumps (Security page, or `npm run cli -- advisories import`).
export const DEMO_ADVISORIES = [
  {
    schema_version: "1.6.0",
    id: "GHSA-462w-v97r-4m45",
    modified: "2024-09-30T00:00:00Z",
    published: "2019-04-10T14:30:24Z",
    aliases: ["CVE-2019-10906"],
    summary: "Jinja2 sandbox escape via str.format_map",
    details: "In Pallets Jinja before 2.10.1, str.format_map allows a sandbox escape.",
    severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N" }],
    affected: [
      {
        package: { ecosystem: "PyPI", name: "jinja2" },
        ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "2.10.1" }] }],
      },
    ],
  },
  {
    schema_version: "1.6.0",
    id: "MAL-2026-0107",
    modified: "2026-03-02T00:00:00Z",
    published: "2026-03-02T00:00:00Z",
    summary:
      "Malicious code in reqeusts (PyPI): a typosquat of requests that uploads environment variables (demo record)",
    affected: [{ package: { ecosystem: "PyPI", name: "reqeusts" }, versions: ["2.31.0", "2.31.1"] }],
  },
  {
    schema_version: "1.6.0",
    id: "GHSA-demo-torch-0001",
    modified: "2026-05-11T00:00:00Z",
    published: "2026-05-11T00:00:00Z",
    summary: "torch.load with weights_only=False runs arbitrary code from an untrusted checkpoint (demo record)",
    severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H" }],
    affected: [
      {
        package: { ecosystem: "PyPI", name: "torch" },
        ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "2.0.0" }, { fixed: "2.6.0" }] }],
      },
    ],
  },
];
