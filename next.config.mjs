/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WASM and data files relative to its own module; bundling breaks that (stack notes, pitfall 1).
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  experimental: {
    // forbidden() / unauthorized() from next/navigation render app/forbidden.tsx with a real 403.
    authInterrupts: true,
  },
};

export default nextConfig;
