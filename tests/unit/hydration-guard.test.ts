import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CostEditor } from "@/components/cost/cost-editor";
import { NewRequestForm } from "@/components/requests/new-request-form";

// A controlled field is reset to React's state when the page hydrates, so whatever someone chose in
// the server's HTML before then was silently undone (a dependency adoption filed as a deployment).
// The server's HTML therefore offers those fields disabled; the browser tests use them once enabled.

const tag = (html: string, id: string) => html.match(new RegExp(`<select[^>]*id="${id}"[^>]*>`))?.[0] ?? "";

describe("forms whose fields live in React state", () => {
  it("render their choices disabled on the server, where a change would be lost on hydration", () => {
    const html = renderToString(
      createElement(NewRequestForm, {
        versions: [{ value: "churn@1", label: "churn 1", team: "Risk" }],
        environments: [{ name: "production", protected: true, requiresDeployedIn: null }],
        action: async () => ({ ok: true as const, message: "" }),
        preview: async () => ({ ok: false as const, status: 400, message: "" }),
      }),
    );
    for (const id of ["kind", "target", "environment", "risk"]) expect(tag(html, id)).toMatch(/\sdisabled=""/);
    expect(html).toMatch(
      /<input[^>]*type="checkbox"[^>]*name="emergency"[^>]*disabled=""|<input[^>]*disabled=""[^>]*name="emergency"/,
    );
  });

  it("render the cost editor disabled on the server", () => {
    const html = renderToString(createElement(CostEditor, {}));
    expect(html).toMatch(/^<fieldset disabled=""/);
  });
});
