// The share of requests the load balancer is configured to send to each architecture, as the load balancer itself
// answers it: the program puts this body in a fixed-response listener rule, and the /info page reads it.

/** Where the load balancer answers with the configured share; the app has no answer of its own there. */
export const CONFIGURED_SHARE_PATH = "/info/share.json";

/** Percent of requests per architecture, by Node's names for them (`x64`, `arm64`). */
export interface ConfiguredShare {
    readonly x64: number;
    readonly arm64: number;
}

/** The body the load balancer answers with: the listener's two weights, which always add up to 100. */
export function configuredShareBody(armTrafficPercent: number): string {
    const share: ConfiguredShare = { x64: 100 - armTrafficPercent, arm64: armTrafficPercent };
    return JSON.stringify(share);
}
