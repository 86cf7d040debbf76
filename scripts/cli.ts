// `npm run cli -- <command>`: operator commands that work the same on the embedded database (through
// the running server when there is one) and on PostgreSQL, and the pipeline's commands, which talk
// to a server over HTTP (cli-pipeline.ts). This file only picks the module: `deps
// scan` runs in CI on every build, so it and `advisories import` load only what they use
// (cli-deps.ts) instead of every verb, the email renderer and the signing code (cli-commands.ts).
import "./allow-server-only";

const argv = process.argv.slice(2);
const command = argv.slice(0, 2).join(" ");
const lean = ["deps scan", "advisories import"].includes(command);
// The pipeline's commands talk to a server over HTTP: they load neither the database nor the app.
const pipeline = ["request create", "request submit", "gate check"].includes(command);
// Not top-level await: the scripts are compiled to CommonJS, which has none.
void (pipeline ? import("./cli-pipeline") : lean ? import("./cli-deps") : import("./cli-commands")).then((cli) =>
  cli.run(argv),
);
