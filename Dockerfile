# syntax=docker/dockerfile:1
# Greenlight's container image: one image, four entries (docs/production.md).
#   web      the Next.js server (standalone output), stateless; run as many as you like
#   worker   the job queue (WORKER_MODE=separate): mail delivery, sweeps, digests, audit checkpoints
#   migrate  applies the database migrations (and the default policies on a new install), then exits
#   cli      any `npm run cli --` command, e.g. `cli users add --email you@company.com --role admin`
# Migrations never run in the build or implicitly at start: run `migrate` before starting a new version.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- every dependency, for the build ---------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- the build: Next.js standalone output ----------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 GREENLIGHT_STANDALONE=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# No database is reachable here and none is needed: every page that reads data is dynamic.
RUN node node_modules/next/dist/bin/next build

# --- run-time dependencies only, for worker, migrate and cli (they run TypeScript through tsx) -----
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- the image ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATA_DIR=/data \
    SIGNING_KEY_FILE=/data/keys/signing-key.pem
WORKDIR /app
# The scripts (worker, migrate, cli) with their run-time dependencies, owned by root: read-only to the app.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY db ./db
COPY lib ./lib
COPY emails ./emails
COPY scripts ./scripts
# The web server: Next.js's standalone folder with its static assets beside it.
COPY --from=build /app/.next/standalone ./web
COPY --from=build /app/.next/static ./web/.next/static
COPY deploy/docker-entrypoint.sh /usr/local/bin/greenlight
# Writable places, so the root filesystem can be mounted read-only: /data (a volume: the signing key),
# /tmp (tsx's compile cache) and the web server's cache (tmpfs in compose.yaml).
RUN chmod 0755 /usr/local/bin/greenlight \
 && mkdir -p /data/keys /app/web/.next/cache \
 && chown -R node:node /data /app/web/.next/cache \
 && chmod 0700 /data/keys
USER node
EXPOSE 3000
VOLUME ["/data"]
# Node's own fetch: the slim image has no curl. /api/health answers 503 when the database is unreachable.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["greenlight"]
CMD ["web"]
