import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A local OpenID Connect provider for tests, written from the specs: OpenID Connect Discovery 1.0
// (provider metadata at issuer + /.well-known/openid-configuration, §4), Core 1.0 (authorization
// code flow §3.1, ID token §2 signed RS256 per RFC 7515/7519, UserInfo §5.3), OAuth 2.0 (RFC 6749
// §4.1 with client_secret_basic §2.3.1), PKCE S256 (RFC 7636 §4.6), the authorization response's
// `iss` (RFC 9207) and a JWKS (RFC 7517). It signs in whoever the test says is at the keyboard.

export type DirectoryPerson = { sub: string; email: string; name: string; groups?: unknown };

type Grant = {
  person: DirectoryPerson;
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  challenge: string | undefined;
};

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export async function startOidcStandIn(options: { clientId: string; clientSecret: string; groupsClaim?: string }) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = `stand-in-${randomBytes(4).toString("hex")}`;
  const codes = new Map<string, Grant>();
  const accessTokens = new Map<string, DirectoryPerson>();
  const groupsClaim = options.groupsClaim ?? "groups";
  let atKeyboard: DirectoryPerson | null = null;
  let misaddressNext = false;
  /** What the token endpoint was sent, for the test to assert on. */
  const tokenRequests: { authorization: string | undefined; body: Record<string, string> }[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { error: "server_error", detail: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/oidc`;

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
    res.end(JSON.stringify(body));
  }

  function idToken(grant: Grant): string {
    const misaddressed = misaddressNext;
    misaddressNext = false;
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: issuer,
      sub: grant.person.sub,
      aud: misaddressed ? "another-client" : grant.clientId,
      exp: now + 300,
      iat: now,
      auth_time: now,
      email: grant.person.email,
      email_verified: true,
      name: grant.person.name,
      ...(grant.nonce ? { nonce: grant.nonce } : {}),
      ...(grant.person.groups === undefined ? {} : { [groupsClaim]: grant.person.groups }),
    };
    const input = `${b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }))}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${b64url(sign("sha256", Buffer.from(input), privateKey))}`;
  }

  async function body(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", base);
    switch (`${req.method} ${url.pathname}`) {
      case "GET /oidc/.well-known/openid-configuration":
        return send(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ["code"],
          grant_types_supported: ["authorization_code"],
          subject_types_supported: ["public"],
          id_token_signing_alg_values_supported: ["RS256"],
          scopes_supported: ["openid", "email", "profile"],
          token_endpoint_auth_methods_supported: ["client_secret_basic"],
          code_challenge_methods_supported: ["S256"],
          claims_supported: ["sub", "email", "email_verified", "name", groupsClaim],
          authorization_response_iss_parameter_supported: true,
        });
      case "GET /oidc/jwks":
        return send(res, 200, { keys: [{ ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" }] });
      case "GET /oidc/authorize": {
        const q = url.searchParams;
        const redirectUri = q.get("redirect_uri");
        if (q.get("client_id") !== options.clientId || !redirectUri) {
          return send(res, 400, { error: "invalid_request", error_description: "unknown client or no redirect_uri" });
        }
        const back = new URL(redirectUri);
        const state = q.get("state");
        if (state) back.searchParams.set("state", state);
        back.searchParams.set("iss", issuer);
        if (q.get("response_type") !== "code" || !q.get("scope")?.split(" ").includes("openid")) {
          back.searchParams.set("error", "invalid_request");
        } else if (q.get("code_challenge") && q.get("code_challenge_method") !== "S256") {
          back.searchParams.set("error", "invalid_request");
        } else if (!atKeyboard) {
          back.searchParams.set("error", "login_required");
        } else {
          const code = randomBytes(16).toString("base64url");
          codes.set(code, {
            person: atKeyboard,
            clientId: options.clientId,
            redirectUri,
            nonce: q.get("nonce") ?? undefined,
            challenge: q.get("code_challenge") ?? undefined,
          });
          back.searchParams.set("code", code);
        }
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      case "POST /oidc/token": {
        const form = Object.fromEntries(new URLSearchParams(await body(req)));
        tokenRequests.push({ authorization: req.headers.authorization, body: form });
        const expected = `Basic ${Buffer.from(
          `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
        ).toString("base64")}`;
        if (req.headers.authorization !== expected) return send(res, 401, { error: "invalid_client" });
        const grant = codes.get(form.code ?? "");
        codes.delete(form.code ?? ""); // one use only (RFC 6749 §4.1.2)
        if (form.grant_type !== "authorization_code" || !grant || grant.redirectUri !== form.redirect_uri) {
          return send(res, 400, { error: "invalid_grant" });
        }
        if (grant.challenge) {
          const verifier = form.code_verifier ?? "";
          if (b64url(createHash("sha256").update(verifier).digest()) !== grant.challenge) {
            return send(res, 400, { error: "invalid_grant", error_description: "PKCE verification failed" });
          }
        }
        const accessToken = randomBytes(24).toString("base64url");
        accessTokens.set(accessToken, grant.person);
        return send(res, 200, {
          access_token: accessToken,
          token_type: "Bearer",
          expires_in: 300,
          id_token: idToken(grant),
        });
      }
      case "GET /oidc/userinfo": {
        const person = accessTokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""));
        if (!person)
          return send(res, 401, { error: "invalid_token" }, { "www-authenticate": 'Bearer error="invalid_token"' });
        return send(res, 200, { sub: person.sub, email: person.email, email_verified: true, name: person.name });
      }
      default:
        return send(res, 404, { error: "not_found" });
    }
  }

  return {
    issuer,
    tokenRequests,
    /** Who signs in at the next authorization request. */
    signInAs(person: DirectoryPerson | null) {
      atKeyboard = person;
    },
    /** The next ID token is addressed to another client (its `aud`), as a token replayed from elsewhere would be. */
    misaddressNextToken() {
      misaddressNext = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
