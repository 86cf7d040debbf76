/** @type {import('next').NextConfig} */
const nextConfig = {
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
