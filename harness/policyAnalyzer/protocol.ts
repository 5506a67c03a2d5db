// What the engine and an analyzer exchange, in this project's TypeScript: resources, stack facts, policy infos,
// reconciled config and diagnostics (pulumirpc's Analyzer messages, sdk/proto/analyzer.proto in pulumi/pulumi).

/** The engine's sentinel for an unknown value (pkg/resource/plugin/rpc.go, UnknownStringValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// How the engine marks a secret on the wire (sdk/go/common/resource/properties.go, SigKey and SecretSig).
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** A value the engine marshals as a secret (KeepSecrets). */
export function secret(value: unknown): Record<string, unknown> {
    return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** One resource as the engine describes it to an analyzer (pulumirpc.AnalyzerResource). */
export interface EngineResource {
    urn: string;
    type: string;
    name: string;
    /** Inputs for Analyze, outputs for AnalyzeStack; may hold UNKNOWN and secret(...) values. */
    properties: Record<string, unknown>;
    parent?: string;
    dependencies?: readonly string[];
    /** For each property, the URNs of the resources its value came from. */
    propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    protect?: boolean;
}

/** The stack facts the CLI hands the pack (ConfigureStack and the environment). */
export interface StackContext {
    project: string;
    stack: string;
    organization?: string;
    /** True for a preview, false for an update. */
    dryRun: boolean;
    tags?: Readonly<Record<string, string>>;
    /** The stack's config as `project:key` to string, as in PULUMI_CONFIG. */
    config?: Readonly<Record<string, string>>;
}

/** One policy's reconciled config, as the CLI sends it in Configure. */
export interface ReconciledPolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

export interface PolicyInfo {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: { properties: Record<string, JsonSchema>; required: string[] };
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    supportsConfig: boolean;
    policies: PolicyInfo[];
    initialConfig: Record<string, ReconciledPolicyConfig>;
}

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    enforcementLevel: EnforcementLevel;
    message: string;
    urn: string;
}

export interface AnalysisResult {
    diagnostics: Diagnostic[];
    notApplicable: { policyName: string; reason: string }[];
}

/** A JSON schema, as far as the pack's config schemas use it. */
export type JsonSchema = {
    type?: string;
    properties?: Record<string, JsonSchema>;
    required?: string[];
    additionalProperties?: boolean;
    items?: JsonSchema;
    minLength?: number;
    pattern?: string;
    enum?: unknown[];
    default?: unknown;
};
