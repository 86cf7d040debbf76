import { Histogram } from "./exposition";

// One histogram per process, kept on globalThis: Next.js may load a module once per route bundle,
// and the /api/metrics route must see what every /api/v1 route observed.
const KEY = Symbol.for("greenlight.metrics.apiLatency");
type Holder = { [KEY]?: Histogram };

export function apiLatency(): Histogram {
  const holder = globalThis as Holder;
  holder[KEY] ??= new Histogram(
    "greenlight_http_request_duration_seconds",
    "Time to answer a /api/v1 request in this process, from arrival in the handler to the response (body streaming excluded).",
  );
  return holder[KEY];
}
