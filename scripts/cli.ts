// `npm run cli -- <command>`: operator commands that work the same on the embedded database (through
// the running server when there is one) and on PostgreSQL. This file only picks the module: `deps
// scan` runs in CI on every build, so it and `advisories import` load only what they use
// (cli-deps.ts) instead of every verb, the email renderer and the signing code (cli-commands.ts).
import "./allow-server-only";

const argv = process.argv.slice(2);
const lean = ["deps scan", "advisories import"].includes(argv.slice(0, 2).join(" "));
// Not top-level await: the scripts are compiled to CommonJS, which has none.
void (lean ? import("./cli-deps") : import("./cli-commands")).then((cli) => cli.run(argv));
