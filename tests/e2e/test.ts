import { expect, test as base } from "@playwright/test";

// Every browser test also watches the page's Content-Security-Policy: any violation (a script, a
// style element or a connection the policy refuses) fails the test that caused it.
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ page }, use) => {
      const violations: string[] = [];
      await page.exposeFunction("__reportCspViolation", (v: string) => violations.push(v));
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => {
          const report = (window as unknown as { __reportCspViolation: (v: string) => void }).__reportCspViolation;
          void report(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${location.pathname}`);
        });
      });
      page.on("console", (message) => {
        // (A test that frames the app on purpose sees frame-ancestors refuse it: that is the policy working.)
        const text = message.text();
        if (message.type() === "error" && /Content[- ]Security[- ]Policy/i.test(text) && !/^Framing /.test(text))
          violations.push(text);
      });
      await use(violations);
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
