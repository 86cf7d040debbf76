/** @type {import('next').NextConfig} */
const nextConfig = {
  // The container image (Dockerfile) builds with GREENLIGHT_STANDALONE=1: a self-contained server in
  // .next/standalone. `npm start` keeps the ordinary build, which `next start` serves (standalone
  // output is for `node server.js`, and Next warns when `next start` is pointed at it). This is a
  // build switch read by the build tool, not run-time configuration, hence not in lib/env.ts.
  ...(process.env.GREENLIGHT_STANDALONE === "1" ? { output: "standalone" } : {}),
  // PGlite loads its WASM and data files relative to its own module; bundling breaks that (stack notes, pitfall 1).
  serverExternalPackages: ["@electric-sql/pglite", "pg-boss"],
  poweredByHeader: false,
  experimental: {
    // forbidden() / unauthorized() from next/navigation render app/forbidden.tsx with a real 403.
    authInterrupts: true,
    // Manifests and OSV advisory zips are uploaded through server actions (the default limit is 1 MB).
    serverActions: { bodySizeLimit: "64mb" },
  },
};

export default nextConfig;
