// The container's web entry checks the environment before starting the standalone server (which
// would otherwise read it on the first request): a bad variable stops the container, named.
import { envOrExit } from "./env-or-exit";

const env = envOrExit();
console.log(
  `Greenlight: ${env.embedded ? "embedded database (not for production: set DATABASE_URL)" : "PostgreSQL"}, ` +
    `jobs ${env.workerMode === "separate" ? "in separate workers" : "inside this server"}, ` +
    `demo mode ${env.demoMode ? "ON" : "off"}, serving ${env.appUrl}`,
);
