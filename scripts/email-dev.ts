// `npm run email:dev [port]`: a local preview of every email template, rendered from its PreviewProps
// exactly as the outbox renders it (renderTemplate): the HTML part, and the plain-text part beside it.
// Runs WITHOUT --conditions=react-server (react-dom/server renders the email): see allow-server-only.ts.
import "./allow-server-only";
import { createServer, type ServerResponse } from "node:http";
import {
  eventOf,
  renderTemplate,
  subjectFor,
  TEMPLATES,
  type TemplateName,
  type TemplateProps,
} from "@/lib/notifications/templates";

const port = Number(process.argv[2] ?? 3030);
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  console.error("Usage: npm run email:dev [port]   (the port defaults to 3030)");
  process.exit(1);
}

const names = Object.keys(TEMPLATES) as TemplateName[];
const isTemplate = (name: string): name is TemplateName => Object.hasOwn(TEMPLATES, name);
const preview = <N extends TemplateName>(name: N) => TEMPLATES[name].preview as TemplateProps<N>;
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#111827}a{color:#166534}td,th{padding:6px 12px;text-align:left;border-bottom:1px solid #e5e7eb}
iframe{width:100%;height:80vh;border:1px solid #e5e7eb;border-radius:8px;margin-top:12px}code{background:#f3f4f6;padding:1px 4px}</style>
</head><body>${body}</body></html>`;
}

function indexPage() {
  const rows = names
    .map(
      (n) =>
        `<tr><td><a href="/${n}">${n}</a></td><td><code>${eventOf(n)}</code></td><td>${escape(subjectFor(n, preview(n)))}</td></tr>`,
    )
    .join("\n");
  return page(
    "Greenlight emails",
    `<h1>Greenlight emails</h1><p>${names.length} templates, each rendered from its PreviewProps.</p>
<table><thead><tr><th>Template</th><th>Event</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

function templatePage(name: TemplateName) {
  return page(
    name,
    `<p><a href="/">All templates</a></p><h1>${name}</h1>
<p>Event <code>${eventOf(name)}</code> · Subject: <strong>${escape(subjectFor(name, preview(name)))}</strong></p>
<p><a href="/${name}.txt">Text part</a> · <a href="/${name}.html">HTML only</a></p>
<iframe title="${name} email" src="/${name}.html"></iframe>`,
  );
}

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { "content-type": `${type}; charset=utf-8`, "cache-control": "no-store" });
  res.end(body);
}

async function answer(path: string, res: ServerResponse) {
  if (path === "/") return send(res, 200, "text/html", indexPage());
  const [, name = "", part] = /^\/([a-z0-9-]+)(?:\.(html|txt))?$/.exec(path) ?? [];
  if (!isTemplate(name)) return send(res, 404, "text/plain", `No template at ${path}. The index is at /.`);
  if (!part) return send(res, 200, "text/html", templatePage(name));
  const { html, text } = await renderTemplate(name, preview(name));
  return part === "html" ? send(res, 200, "text/html", html) : send(res, 200, "text/plain", text);
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  answer(path, res).catch((error: unknown) => {
    // A template that fails to render is what this tool is for finding: show why, keep serving.
    console.error(`[email:dev] ${path}:`, error);
    send(res, 500, "text/plain", error instanceof Error ? (error.stack ?? error.message) : String(error));
  });
});
server.on("error", (error: NodeJS.ErrnoException) => {
  console.error(error.code === "EADDRINUSE" ? `Port ${port} is in use: npm run email:dev <port>` : error);
  process.exit(1);
});
server.listen(port, "127.0.0.1", () =>
  console.log(`Email previews: http://localhost:${port}/ (${names.length} templates)`),
);
