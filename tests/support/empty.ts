// Stands in for the "server-only" package outside Next.js (vitest), where nothing is a client bundle.
export {};
