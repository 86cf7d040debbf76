export * from "./auth";
export * from "./org";
export * from "./audit";
export * from "./notifications";
