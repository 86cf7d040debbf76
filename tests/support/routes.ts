// Calls a route handler the way a script with a bearer token would, and reads its answer.

// Route params differ per route; `never` lets one helper call them all (the values are checked at run time).
export type Handler = (req: Request, ctx: { params: Promise<never> }) => Promise<Response>;

export type CallOptions = {
  token?: string;
  method?: string;
  body?: string;
  params?: Record<string, string>;
  query?: string;
  /** Extra request headers (Idempotency-Key, say); they override the defaults. */
  headers?: Record<string, string>;
};

export async function callRoute(handler: Handler, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  Object.assign(headers, opts.headers);
  const response = await handler(
    new Request(`http://localhost${path}${opts.query ?? ""}`, {
      method: opts.method ?? "GET",
      headers,
      body: opts.body,
    }),
    { params: Promise.resolve(opts.params ?? {}) as Promise<never> },
  );
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    headers: response.headers,
    body: text ? JSON.parse(text) : null,
  };
}
