// Runs the graviton-guard pack the way the Pulumi CLI runs it, and speaks to it over the Analyzer gRPC protocol.
//
// Shared by the tests (tests/policy/grpc.test.ts), `npm run check` (scripts/check.ts) and the start-up benchmark
// (scripts/bench-policy.ts), so there is one way the pack is run. What the CLI does, and where it is written down
// in pulumi/pulumi (read at the commit fetched for issue 13):
//
// - Start: for a Node pack without a language plugin the CLI runs the `pulumi-analyzer-policy` shim with the pack
//   directory as working directory and the arguments `<engine address> .`; the shim runs
//   `node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine address> .` (pkg/resource/plugin/analyzer_plugin.go,
//   NewPolicyAnalyzer). Stack facts go in the environment (constructEnv there): PULUMI_CONFIG, PULUMI_NODEJS_PROJECT,
//   PULUMI_NODEJS_STACK, PULUMI_NODEJS_ORGANIZATION, PULUMI_NODEJS_DRY_RUN and their PULUMI_* twins.
// - The pack prints its port as the first stdout line (@pulumi/policy server.js, serve()).
// - Handshake (Unimplemented is accepted), then ConfigureStack (analyzer_plugin.go), GetAnalyzerInfo,
//   GetPluginInfo, and Configure with the config reconciled from the schema defaults, the pack's initial config
//   and the user's config (pkg/resource/analyzer/config.go, ReconcilePolicyPackConfig/applyConfig), after it
//   was validated against each policy's JSON schema (validatePolicyPackConfig there).
// - Analyze gets a resource's inputs, AnalyzeStack every resource's outputs with parent, dependencies and
//   propertyDependencies (pkg/resource/deploy/step_generator.go, analyzeAll and AnalyzeResources), marshalled
//   with KeepUnknowns and KeepSecrets (pkg/resource/plugin/analyzer_plugin.go, Analyze/AnalyzeStack). Properties
//   with no dependencies are left out of propertyDependencies.
// - A provider's unknown arrives in the engine as a computed string, so the engine passes it on as the string
//   sentinel whatever the property's type (pkg/resource/plugin/rpc.go, UnknownStringValue, marshalUnknownProperty).
//
// The gRPC, protobuf and generated Analyzer modules are loaded from the pack's own install (its
// node_modules/@pulumi/pulumi), not from a copy here: those are the modules the pack's server was built with.

import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import type * as grpcModule from "@grpc/grpc-js";
import type * as analyzerGrpcModule from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerPbModule from "@pulumi/pulumi/proto/analyzer_pb";
import type * as emptyPbModule from "google-protobuf/google/protobuf/empty_pb";
import type * as structPbModule from "google-protobuf/google/protobuf/struct_pb";

/** The engine's sentinel for an unknown value (pkg/resource/plugin/rpc.go, UnknownStringValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// How the engine marks a secret on the wire (sdk/go/common/resource/properties.go, SigKey and SecretSig).
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** A value the engine marshals as a secret (KeepSecrets). */
export function secret(value: unknown): Record<string, unknown> {
    return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

export const PACK_DIR = path.resolve(__dirname, "..", "policy-pack");

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

/** A policy's entry in a pack config file: an enforcement level, or an object of settings. */
export type PolicyConfigEntry = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);

/** The JSON given to `--policy-pack-config` (or set in a Pulumi Cloud policy group). */
export type PackConfigFile = Readonly<Record<string, PolicyConfigEntry>>;

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

/** A config the CLI would refuse before any resource is analysed. */
export class PolicyConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`policy pack configuration is invalid:\n  ${problems.join("\n  ")}`);
        this.name = "PolicyConfigError";
    }
}

interface PackModules {
    grpc: typeof grpcModule;
    analyzerPb: typeof analyzerPbModule;
    analyzerGrpc: typeof analyzerGrpcModule;
    structPb: typeof structPbModule;
    emptyPb: typeof emptyPbModule;
    launcher: string;
}

function packModules(packDir: string): PackModules {
    const fromPack = createRequire(path.join(packDir, "package.json"));
    const analyzerPbPath = fromPack.resolve("@pulumi/pulumi/proto/analyzer_pb");
    // Resolved from @pulumi/pulumi's own location, so that the Struct and Empty classes are the ones its
    // generated code serialises with.
    const fromSdk = createRequire(analyzerPbPath);
    return {
        grpc: fromSdk("@grpc/grpc-js") as typeof grpcModule,
        analyzerPb: fromSdk(analyzerPbPath) as typeof analyzerPbModule,
        analyzerGrpc: fromSdk("./analyzer_grpc_pb") as typeof analyzerGrpcModule,
        structPb: fromSdk("google-protobuf/google/protobuf/struct_pb") as typeof structPbModule,
        emptyPb: fromSdk("google-protobuf/google/protobuf/empty_pb") as typeof emptyPbModule,
        launcher: path.join(path.dirname(fromPack.resolve("@pulumi/pulumi/package.json")), "cmd", "run-policy-pack"),
    };
}

/**
 * Fails when the pack's compiled JavaScript (its package.json `main`) is missing or older than a source file:
 * the CLI would run stale code without a word.
 */
export function assertPackBuilt(packDir: string = PACK_DIR): void {
    const manifest = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as { main?: string };
    const main = path.join(packDir, manifest.main ?? "index.js");
    if (!fs.existsSync(main)) {
        throw new Error(`${main} does not exist: build the pack first (npm run build:policy)`);
    }
    const built = fs.statSync(main).mtimeMs;
    const stale = fs
        .readdirSync(packDir)
        .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
        .filter((file) => fs.statSync(path.join(packDir, file)).mtimeMs > built);
    if (stale.length > 0) {
        throw new Error(`the pack's build is older than ${stale.join(", ")}: rebuild it (npm run build:policy)`);
    }
}

/** The environment the CLI gives a Node policy pack (analyzer_plugin.go, constructEnv). */
function packEnvironment(context: StackContext | undefined): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // A ts-node registration inherited from a test runner would change how the launcher loads the pack.
    delete env.TS_NODE_TRANSPILE_ONLY;
    delete env.NODE_OPTIONS;
    if (context === undefined) {
        return env;
    }
    const set = (key: string, value: string | undefined) => {
        if (value !== undefined && value !== "") {
            env[key] = value;
        }
    };
    set("PULUMI_CONFIG", context.config ? JSON.stringify(context.config) : undefined);
    for (const prefix of ["PULUMI_NODEJS_", "PULUMI_"]) {
        set(`${prefix}ORGANIZATION`, context.organization);
        set(`${prefix}PROJECT`, context.project);
        set(`${prefix}STACK`, context.stack);
        set(`${prefix}DRY_RUN`, String(context.dryRun));
    }
    return env;
}

/** Spawns the pack as the CLI does and resolves with the port from its first stdout line. */
function launch(
    packDir: string,
    modules: PackModules,
    context: StackContext | undefined,
): Promise<{ child: ChildProcess; port: number; startMs: number }> {
    const started = process.hrtime.bigint();
    // The engine address is where the pack would send log messages; nothing listens there in these runs.
    const child = spawn(process.execPath, [modules.launcher, "127.0.0.1:0", "."], {
        cwd: packDir,
        env: packEnvironment(context),
        stdio: ["ignore", "pipe", "pipe"],
    });
    return new Promise((resolve, reject) => {
        let stdout = "";
        let stderr = "";
        const fail = (reason: string) => {
            child.kill();
            reject(new Error(`${reason}\nstdout: ${stdout}\nstderr: ${stderr}`));
        };
        child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.once("error", (error) => fail(`could not start the pack: ${error.message}`));
        child.once("exit", (code) => fail(`the pack exited with code ${code} before printing its port`));
        const onData = (chunk: Buffer) => {
            stdout += chunk.toString();
            const newline = stdout.indexOf("\n");
            if (newline < 0) {
                return;
            }
            const startMs = Number(process.hrtime.bigint() - started) / 1e6;
            child.stdout?.off("data", onData);
            child.removeAllListeners("exit");
            const port = Number(stdout.slice(0, newline).trim());
            if (!Number.isInteger(port) || port <= 0) {
                fail(`the pack's first line is not a port: "${stdout.slice(0, newline)}"`);
                return;
            }
            resolve({ child, port, startMs });
        };
        child.stdout?.on("data", onData);
    });
}

/** Milliseconds from spawning the pack (as the CLI does) to its port line. */
export async function measurePackStart(packDir: string = PACK_DIR): Promise<number> {
    const { child, startMs } = await launch(packDir, packModules(packDir), undefined);
    child.kill();
    return startMs;
}

const LEVELS: Record<number, EnforcementLevel> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
const LEVEL_NUMBERS: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };

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

function promisify<TRequest, TResponse>(
    call: (
        request: TRequest,
        callback: (error: grpcModule.ServiceError | null, response: TResponse) => void,
    ) => unknown,
    request: TRequest,
): Promise<TResponse> {
    return new Promise((resolve, reject) => {
        call(request, (error, response) => (error ? reject(error) : resolve(response)));
    });
}

/** A running graviton-guard pack, configured for one stack, driven as the CLI drives it. */
export class PolicyPackSession {
    private constructor(
        private readonly modules: PackModules,
        private readonly child: ChildProcess,
        private readonly client: analyzerGrpcModule.AnalyzerClient,
        readonly info: AnalyzerInfo,
        readonly pluginVersion: string,
        readonly config: Record<string, ReconciledPolicyConfig>,
        readonly startMs: number,
    ) {}

    /**
     * Starts the pack and takes it through Handshake, ConfigureStack, GetAnalyzerInfo, GetPluginInfo and
     * Configure. `rawConfig` sends a config to Configure as given, skipping the CLI's reconcile and
     * validation, to show what the pack does with config the CLI would not let through.
     */
    static async start(
        context: StackContext,
        options: { config?: PackConfigFile; rawConfig?: Record<string, ReconciledPolicyConfig>; packDir?: string } = {},
    ): Promise<PolicyPackSession> {
        const packDir = options.packDir ?? PACK_DIR;
        assertPackBuilt(packDir);
        const modules = packModules(packDir);
        const { child, port, startMs } = await launch(packDir, modules, context);
        const { analyzerPb, analyzerGrpc, grpc, emptyPb, structPb } = modules;
        const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        try {
            const handshake = new analyzerPb.AnalyzerHandshakeRequest()
                .setEngineAddress("127.0.0.1:0")
                .setRootDirectory(packDir)
                .setProgramDirectory(packDir);
            await promisify(client.handshake.bind(client), handshake).catch((error: grpcModule.ServiceError) => {
                // analyzer_plugin.go accepts a pack without Handshake (@pulumi/policy 1.21 has none).
                if (error.code !== grpc.status.UNIMPLEMENTED) {
                    throw error;
                }
            });
            const stackRequest = new analyzerPb.AnalyzerStackConfigureRequest()
                .setStack(context.stack)
                .setProject(context.project)
                .setOrganization(context.organization ?? "")
                .setDryRun(context.dryRun);
            for (const [key, value] of Object.entries(context.tags ?? {})) {
                stackRequest.getTagsMap().set(key, value);
            }
            for (const [key, value] of Object.entries(context.config ?? {})) {
                stackRequest.getConfigMap().set(key, value);
            }
            await promisify(client.configureStack.bind(client), stackRequest);
            const info = toAnalyzerInfo(await promisify(client.getAnalyzerInfo.bind(client), new emptyPb.Empty()));
            const pluginInfo: { getVersion(): string } = await promisify(
                client.getPluginInfo.bind(client),
                new emptyPb.Empty(),
            );
            const config = options.rawConfig ?? reconcilePolicyConfig(info, options.config);
            const configure = new analyzerPb.ConfigureAnalyzerRequest();
            for (const [policy, entry] of Object.entries(config)) {
                configure
                    .getPolicyconfigMap()
                    .set(
                        policy,
                        new analyzerPb.PolicyConfig()
                            .setEnforcementlevel(
                                LEVEL_NUMBERS[entry.enforcementLevel] as analyzerPbModule.EnforcementLevel,
                            )
                            .setProperties(
                                structPb.Struct.fromJavaScript(
                                    entry.properties as Record<string, structPbModule.JavaScriptValue>,
                                ),
                            ),
                    );
            }
            await promisify(client.configure.bind(client), configure);
            return new PolicyPackSession(modules, child, client, info, pluginInfo.getVersion(), config, startMs);
        } catch (error) {
            client.close();
            child.kill();
            throw error;
        }
    }

    private toProto(resource: EngineResource): analyzerPbModule.AnalyzerResource {
        const { analyzerPb, structPb } = this.modules;
        const proto = new analyzerPb.AnalyzerResource()
            .setUrn(resource.urn)
            .setType(resource.type)
            .setName(resource.name)
            .setProperties(structPb.Struct.fromJavaScript(dropUndefined(resource.properties)))
            .setOptions(this.options(resource))
            .setParent(resource.parent ?? "")
            .setDependenciesList([...(resource.dependencies ?? [])]);
        for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
            // The CLI leaves out properties without dependencies.
            if (urns.length > 0) {
                proto
                    .getPropertydependenciesMap()
                    .set(property, new analyzerPb.AnalyzerPropertyDependencies().setUrnsList([...urns]));
            }
        }
        return proto;
    }

    private options(resource: EngineResource): analyzerPbModule.AnalyzerResourceOptions {
        const { analyzerPb } = this.modules;
        return new analyzerPb.AnalyzerResourceOptions()
            .setProtect(resource.protect ?? false)
            .setCustomtimeouts(new analyzerPb.AnalyzerResourceOptions.CustomTimeouts())
            .setParent(resource.parent ?? "");
    }

    /** Analyze: one resource's inputs, before the engine operates on it. */
    async analyze(resource: EngineResource): Promise<AnalysisResult> {
        const { analyzerPb, structPb } = this.modules;
        const request = new analyzerPb.AnalyzeRequest()
            .setUrn(resource.urn)
            .setType(resource.type)
            .setName(resource.name)
            .setProperties(structPb.Struct.fromJavaScript(dropUndefined(resource.properties)))
            .setOptions(this.options(resource));
        return toResult(await promisify(this.client.analyze.bind(this.client), request));
    }

    /** AnalyzeStack: every resource's outputs, once the steps are done. */
    async analyzeStack(resources: readonly EngineResource[]): Promise<AnalysisResult> {
        const request = new this.modules.analyzerPb.AnalyzeStackRequest().setResourcesList(
            resources.map((resource) => this.toProto(resource)),
        );
        return toResult(await promisify(this.client.analyzeStack.bind(this.client), request));
    }

    /** A whole run: Analyze for each resource (inputs), then AnalyzeStack (outputs). */
    async run(stack: readonly { inputs: EngineResource; outputs: EngineResource }[]): Promise<AnalysisResult> {
        const results = [];
        for (const { inputs } of stack) {
            results.push(await this.analyze(inputs));
        }
        results.push(await this.analyzeStack(stack.map(({ outputs }) => outputs)));
        return {
            diagnostics: results.flatMap((result) => result.diagnostics),
            notApplicable: results.flatMap((result) => result.notApplicable),
        };
    }

    close(): void {
        this.client.close();
        this.child.kill();
    }
}

// Struct.fromJavaScript rejects undefined; the engine has no undefined either (an unset property is absent).
function dropUndefined(value: Record<string, unknown>): Record<string, structPbModule.JavaScriptValue> {
    return JSON.parse(JSON.stringify(value)) as Record<string, structPbModule.JavaScriptValue>;
}

function toResult(response: analyzerPbModule.AnalyzeResponse): AnalysisResult {
    return {
        diagnostics: response.getDiagnosticsList().map((diagnostic) => ({
            policyName: diagnostic.getPolicyname(),
            policyPackName: diagnostic.getPolicypackname(),
            policyPackVersion: diagnostic.getPolicypackversion(),
            enforcementLevel: LEVELS[diagnostic.getEnforcementlevel()] ?? "advisory",
            message: diagnostic.getMessage(),
            urn: diagnostic.getUrn(),
        })),
        notApplicable: response
            .getNotApplicableList()
            .map((entry) => ({ policyName: entry.getPolicyName(), reason: entry.getReason() })),
    };
}

function toAnalyzerInfo(response: analyzerPbModule.AnalyzerInfo): AnalyzerInfo {
    const initialConfig: Record<string, ReconciledPolicyConfig> = {};
    response.getInitialconfigMap().forEach((entry, policy) => {
        initialConfig[policy] = {
            enforcementLevel: LEVELS[entry.getEnforcementlevel()] ?? "advisory",
            properties: (entry.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
        };
    });
    return {
        name: response.getName(),
        version: response.getVersion(),
        supportsConfig: response.getSupportsconfig(),
        initialConfig,
        policies: response.getPoliciesList().map((policy) => {
            const schema = policy.getConfigschema();
            return {
                name: policy.getName(),
                description: policy.getDescription(),
                enforcementLevel: LEVELS[policy.getEnforcementlevel()] ?? "advisory",
                configSchema: schema
                    ? {
                          properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, JsonSchema>,
                          required: schema.getRequiredList(),
                      }
                    : undefined,
            };
        }),
    };
}
