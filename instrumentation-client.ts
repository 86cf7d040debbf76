import { z } from "zod";

// Runs in the browser before the app's own code. zod compiles fast parsers with new Function() when
// it may, and probes for that with an eval the page's CSP refuses (a reported violation); schemas
// decide at construction, so this must come first: in the browser, zod parses without compiling.
z.config({ jitless: true });
