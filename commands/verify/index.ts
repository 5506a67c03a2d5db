/**
 * What `npm run verify` (verify.ts) checks after a real deploy, as a library: the result table (checks.ts), the
 * stack outputs (outputs.ts), the registry client (registry.ts) and its index check (imageIndex.ts), the runtime
 * checks (runtimes.ts, eks.ts), how the traffic is served (serving.ts), the dashboard and alarms (monitoring.ts),
 * what Express Mode left behind (leftovers.ts) and all of them for one deployment (deployment.ts).
 * The image suite runs the index check against a local registry.
 */
export * from "./checks";
export * from "./deployment";
export * from "./eks";
export * from "./imageIndex";
export * from "./leftovers";
export * from "./monitoring";
export * from "./outputs";
export * from "./registry";
export * from "./runtimes";
export * from "./serving";
