// The policy config the CLI sends in Configure: reconciled from the schema defaults, the pack's initial config and
// the user's file, and validated against each policy's JSON schema first (pkg/resource/analyzer/config.go).

import { AnalyzerInfo, EnforcementLevel, JsonSchema, ReconciledPolicyConfig } from "./protocol";

/** A policy's entry in a pack config file: an enforcement level, or an object of settings. */
export type PolicyConfigEntry = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);

/** The JSON given to `--policy-pack-config` (or set in a Pulumi Cloud policy group). */
export type PackConfigFile = Readonly<Record<string, PolicyConfigEntry>>;

/** A config the CLI would refuse before any resource is analysed. */
export class PolicyConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`policy pack configuration is invalid:\n  ${problems.join("\n  ")}`);
        this.name = "PolicyConfigError";
    }
}

function typeMatches(type: string | undefined, value: unknown): boolean {
    switch (type) {
        case undefined:
            return true;
        case "array":
            return Array.isArray(value);
        case "object":
            return typeof value === "object" && value !== null && !Array.isArray(value);
        case "integer":
            return Number.isInteger(value);
        default:
            return typeof value === type;
    }
}

/**
 * The checks the CLI's gojsonschema validation makes for the keywords the pack's schemas use (type, properties,
 * required, additionalProperties, items, minLength, pattern, enum); other keywords are not used by the pack.
 */
function validate(schema: JsonSchema, value: unknown, at: string, problems: string[]): void {
    if (!typeMatches(schema.type, value)) {
        problems.push(`${at}: invalid type, expected ${schema.type}`);
        return;
    }
    if (schema.enum && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
        problems.push(`${at}: must be one of ${JSON.stringify(schema.enum)}`);
    }
    if (typeof value === "string") {
        if (schema.minLength !== undefined && [...value].length < schema.minLength) {
            problems.push(`${at}: string length must be greater than or equal to ${schema.minLength}`);
        }
        if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
            problems.push(`${at}: does not match pattern '${schema.pattern}'`);
        }
    }
    if (Array.isArray(value) && schema.items) {
        value.forEach((item, index) => validate(schema.items as JsonSchema, item, `${at}.${index}`, problems));
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const record = value as Record<string, unknown>;
        for (const key of schema.required ?? []) {
            if (!(key in record)) {
                problems.push(`${at}: ${key} is required`);
            }
        }
        for (const [key, item] of Object.entries(record)) {
            const propertySchema = schema.properties?.[key];
            if (propertySchema) {
                validate(propertySchema, item, `${at}.${key}`, problems);
            } else if (schema.additionalProperties === false) {
                problems.push(`${at}: additional property ${key} is not allowed`);
            }
        }
    }
}

/** A config file's entries split into level and properties, as parsePolicyPackConfig does. */
function parseConfigFile(
    file: PackConfigFile,
): Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }> {
    const parsed: Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }> = {};
    for (const [policy, entry] of Object.entries(file)) {
        if (typeof entry === "string") {
            parsed[policy] = { enforcementLevel: entry, properties: {} };
        } else {
            const { enforcementLevel, ...properties } = entry;
            parsed[policy] = { enforcementLevel, properties: structuredClone(properties) };
        }
    }
    return parsed;
}

/**
 * What the CLI sends in Configure: each policy's schema defaults and own level, then the pack's initial
 * config, then the user's file; an `all` level overrides every policy's level before per-policy entries apply
 * (pkg/resource/analyzer/config.go, createConfigWithDefaults, applyConfig). Invalid config throws, as the
 * CLI stops before analysing anything.
 */
export function reconcilePolicyConfig(
    info: AnalyzerInfo,
    file: PackConfigFile = {},
): Record<string, ReconciledPolicyConfig> {
    const result: Record<string, ReconciledPolicyConfig> = {};
    for (const policy of info.policies) {
        const properties: Record<string, unknown> = {};
        for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
            if (schema.default !== undefined) {
                properties[key] = structuredClone(schema.default);
            }
        }
        result[policy.name] = { enforcementLevel: policy.enforcementLevel, properties };
    }
    const apply = (
        layer: Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }>,
    ) => {
        const all = layer["all"]?.enforcementLevel;
        if (all !== undefined) {
            for (const entry of Object.values(result)) {
                entry.enforcementLevel = all;
            }
        }
        for (const [policy, given] of Object.entries(layer)) {
            const entry = (result[policy] ??= {
                enforcementLevel: given.enforcementLevel ?? "advisory",
                properties: {},
            });
            entry.enforcementLevel = given.enforcementLevel ?? entry.enforcementLevel;
            Object.assign(entry.properties, given.properties);
        }
    };
    apply(info.initialConfig);
    apply(parseConfigFile(file));
    const problems: string[] = [];
    for (const policy of info.policies) {
        if (policy.configSchema === undefined) {
            continue;
        }
        const schema: JsonSchema = {
            type: "object",
            properties: policy.configSchema.properties,
            required: policy.configSchema.required,
        };
        const before = problems.length;
        validate(schema, result[policy.name]?.properties ?? {}, "(root)", problems);
        for (let index = before; index < problems.length; index++) {
            problems[index] = `${policy.name}: ${problems[index]}`;
        }
    }
    if (problems.length > 0) {
        throw new PolicyConfigError(problems);
    }
    return result;
}
