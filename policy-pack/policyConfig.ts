// Configuration shared by several policies: exemptions, and the node group policy's `requireGraviton`.
//
// Pulumi hands each policy only its own entry of the pack config (`args.getConfig()`), so a setting that
// several policies honour is declared in each of their schemas; `packConfig()` in policies.ts writes one
// exemption list into every policy that accepts it.

import type { PolicyConfigSchema } from "@pulumi/policy";

/** One JSON-schema property, as @pulumi/policy types it (its `PolicyConfigJSONSchema` is not re-exported). */
export type ConfigPropertySchema = PolicyConfigSchema["properties"][string];

/** A deliberate, documented waiver of a graviton-guard policy for one resource. */
export interface Exemption {
    /** The Pulumi logical name of the resource (the `name` passed to its constructor). */
    resourceName: string;
    /** Why the resource may stay off arm64; shown by `graviton-exemptions-in-use` on every run. */
    reason: string;
}

/** The config of a policy that honours exemptions. */
export interface ExemptionsConfig {
    exemptions?: Exemption[];
}

/** The config of `eks-nodegroup-architecture-match`. */
export interface NodeGroupPolicyConfig extends ExemptionsConfig {
    /** Require every node group to be arm64, not merely consistent. */
    requireGraviton?: boolean;
}

export const EXEMPTIONS_SCHEMA: ConfigPropertySchema = {
    type: "array",
    description:
        "Resources this policy does not block, each with the reason. They stay visible through graviton-exemptions-in-use.",
    items: {
        type: "object",
        properties: {
            resourceName: { type: "string", minLength: 1, description: "Pulumi logical name of the exempt resource." },
            // The pattern rejects a reason made only of spaces: an exemption must say why.
            reason: { type: "string", minLength: 1, pattern: "\\S", description: "Why this resource is exempt." },
        },
        required: ["resourceName", "reason"],
        additionalProperties: false,
    },
    default: [],
};

export const REQUIRE_GRAVITON_SCHEMA: ConfigPropertySchema = {
    type: "boolean",
    description: "When true, every EKS node group must be arm64 (Graviton), not only internally consistent.",
    default: false,
};

/** The schema of a policy whose only setting is `exemptions`. */
export const EXEMPTIONS_ONLY_CONFIG_SCHEMA: PolicyConfigSchema = { properties: { exemptions: EXEMPTIONS_SCHEMA } };

function isExemption(value: unknown): value is Exemption {
    if (typeof value !== "object" || value === null) {
        return false;
    }
    const { resourceName, reason } = value as Record<string, unknown>;
    return (
        typeof resourceName === "string" && resourceName !== "" && typeof reason === "string" && reason.trim() !== ""
    );
}

/**
 * The valid exemptions in a policy's config. The CLI validates config against the schema, but the check is
 * repeated here so that an exemption without a reason never waives anything, whoever calls the policy.
 */
export function configuredExemptions(config: ExemptionsConfig): Exemption[] {
    const entries: unknown = config.exemptions;
    return Array.isArray(entries) ? entries.filter(isExemption) : [];
}

/** The exemption naming `resourceName`, if any. */
export function exemptionFor(config: ExemptionsConfig, resourceName: string): Exemption | undefined {
    return configuredExemptions(config).find((exemption) => exemption.resourceName === resourceName);
}

/** `requireGraviton` from the node group policy's config, defaulting to false. */
export function requireGraviton(config: NodeGroupPolicyConfig): boolean {
    return config.requireGraviton === true;
}
