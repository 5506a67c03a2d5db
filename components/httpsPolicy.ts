// What the HTTPS listener takes, in a module of its own so that `npm run verify` can read it without loading the
// Pulumi SDK.

/** The port browsers use for HTTPS; the HTTPS listener always takes it. */
export const httpsPort = 443;

/**
 * TLS 1.3 with TLS 1.2 kept for older clients, forward-secret ciphers only, and hybrid post-quantum key exchange for
 * clients that offer it: the policy AWS recommends for ALBs (docs/platform-facts.md, "HTTPS on the load balancer").
 */
export const tlsSecurityPolicy = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";
