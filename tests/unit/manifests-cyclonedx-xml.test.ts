import { describe, expect, it } from "vitest";
import { fixture } from "../fixtures/manifests/load";
import { detectFormat, parseManifest } from "../../lib/dependencies/manifests";

// CycloneDX XML, written here from the CycloneDX 1.5 XML schema (element and attribute names as the
// XSD gives them), independently of the parser: the JSON fixture rendered as XML must read the same.
type Json = Record<string, unknown>;
const esc = (v: unknown) =>
  String(v).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const el = (name: string, body: string, attrs: Json = {}) =>
  `<${name}${Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join("")}>${body}</${name}>`;
const opt = (name: string, value: unknown) => (value === undefined ? "" : el(name, esc(value)));

function componentXml(c: Json): string {
  const licenses = (c.licenses as Json[] | undefined) ?? [];
  const hashes = (c.hashes as Json[] | undefined) ?? [];
  const nested = (c.components as Json[] | undefined) ?? [];
  return el(
    "component",
    [
      opt("name", c.name),
      opt("version", c.version),
      hashes.length ? el("hashes", hashes.map((h) => el("hash", esc(h.content), { alg: h.alg })).join("")) : "",
      licenses.length
        ? el(
            "licenses",
            licenses
              .map((l) =>
                l.expression !== undefined
                  ? el("expression", esc(l.expression))
                  : el("license", opt("id", (l.license as Json).id) + opt("name", (l.license as Json).name)),
              )
              .join("\n"),
          )
        : "",
      opt("purl", c.purl),
      nested.length ? el("components", nested.map(componentXml).join("\n")) : "",
    ].join("\n"),
    { type: c.type, "bom-ref": c["bom-ref"] },
  );
}

function bomXml(bom: Json): string {
  const subject = (bom.metadata as Json).component as Json;
  const graph = (bom.dependencies as Json[] | undefined) ?? [];
  return `<?xml version="1.0" encoding="UTF-8"?>\n${el(
    "bom",
    [
      el("metadata", el("component", opt("name", subject.name), { type: subject.type, "bom-ref": subject["bom-ref"] })),
      el("components", ((bom.components as Json[]) ?? []).map(componentXml).join("\n")),
      graph.length
        ? el(
            "dependencies",
            graph
              .map((d) =>
                el(
                  "dependency",
                  ((d.dependsOn as string[] | undefined) ?? []).map((r) => `<dependency ref="${esc(r)}"/>`).join(""),
                  { ref: d.ref },
                ),
              )
              .join("\n"),
          )
        : "",
    ].join("\n"),
    { xmlns: "http://cyclonedx.org/schema/bom/1.5", serialNumber: bom.serialNumber, version: 1 },
  )}\n`;
}

const withoutLines = (deps: { line: number | null }[]) => deps.map(({ line: _line, ...rest }) => rest);

describe("CycloneDX XML", () => {
  const json = fixture("bom.cdx.json");
  const xml = bomXml(JSON.parse(json.content) as Json);

  it("reads to the same dependencies, licences, hashes, direct flags and warnings as the JSON form", () => {
    const fromJson = parseManifest({ files: [json] });
    const fromXml = parseManifest({ files: [{ name: "bom.cdx.xml", content: xml }] });
    expect(fromXml.format).toBe("cyclonedx");
    expect(fromXml.errors).toEqual([]);
    expect(fromXml.dependencies.length).toBe(fromJson.dependencies.length);
    expect(withoutLines(fromXml.dependencies)).toEqual(withoutLines(fromJson.dependencies));
    expect(fromXml.warnings.map((w) => w.message)).toEqual(fromJson.warnings.map((w) => w.message));
    // Lines point into the XML text.
    const torch = fromXml.dependencies.find((d) => d.name === "torch")!;
    expect(xml.split("\n")[torch.line! - 1]).toContain("<purl>pkg:pypi/torch@2.1.2</purl>");
  });

  it("is told apart by content when the name does not say, and keeps versions as text", () => {
    const small = `<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">
  <components>
    <component type="library"><name>tqdm</name><version>4.10</version><purl>pkg:pypi/tqdm@4.10</purl></component>
    <component type="library"><name>a&amp;b</name><purl>pkg:npm/%40scope/a%26b@1.0.0</purl></component>
  </components>
</bom>`;
    expect(detectFormat("sbom-export.txt", small)).toBe("cyclonedx");
    expect(detectFormat("notes.xml", "<note>hi</note>")).toBeNull();
    const result = parseManifest({ files: [{ name: "export.xml", content: small }], format: "cyclonedx" });
    expect(result.errors).toEqual([]);
    expect(result.dependencies.map((d) => [d.name, d.pinnedVersion])).toEqual([
      ["tqdm", "4.10"],
      ["@scope/a&b", "1.0.0"],
    ]);
  });

  it("refuses a DOCTYPE (entity expansion) and names the line of broken XML; never a partial read", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components><component><name>&b;</name></component></components></bom>`;
    const refused = parseManifest({ files: [{ name: "bom.xml", content: bomb }] });
    expect(refused.errors).toEqual([expect.objectContaining({ message: expect.stringContaining("DOCTYPE") })]);
    expect(refused.dependencies).toEqual([]);
    const broken = parseManifest({
      files: [{ name: "bom.xml", content: '<bom xmlns="http://cyclonedx.org/schema/bom/1.5">\n<components>\n</bom>' }],
    });
    expect(broken.errors).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/^invalid XML/) }),
    ]);
    expect(parseManifest({ files: [{ name: "bom.xml", content: "<sbom/>" }] }).errors).toEqual([
      expect.objectContaining({ message: "no <bom> element: not a CycloneDX SBOM" }),
    ]);
  });
});
