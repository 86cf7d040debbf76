// Imported first by Node scripts that render email (the worker). App modules begin with
// `import "server-only"`, which resolves to its empty stub only under the react-server condition, and
// under that condition react-dom/server (which renders every email) refuses to load. So such scripts
// run without the condition and record the marker as already loaded: a script is server code.
import Module, { createRequire } from "node:module";
import path from "node:path";

const requireFromRoot = createRequire(path.join(process.cwd(), "package.json"));
const marker = requireFromRoot.resolve("server-only");
const stub = new Module(marker);
stub.loaded = true;
stub.exports = {};
requireFromRoot.cache[marker] = stub;
