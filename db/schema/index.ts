export * from "./auth";
export * from "./org";
export * from "./audit";
export * from "./notifications";
export * from "./models";
export * from "./requests";
export * from "./governance";
export * from "./budgets";
