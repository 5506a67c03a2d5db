// The program under Pulumi's mock runtime: runs it for a stack and captures every registered resource. Shared
// by the tests and by the credential-free commands (commands/check/, commands/cost/), so it lives outside tests/.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { readStackFile } from "../config/stackFile";
import { mockInvoke, mockState, shortHash } from "./mocks";

export const projectRoot = path.resolve(__dirname, "..");
export { projectName } from "../components/project";
import { projectName } from "../components/project";
export { mockAccountId } from "./mocks";

/** One resource as the program registered it, with the state the mocks answered. */
export interface CapturedResource<TInputs = Record<string, unknown>> {
    type: string;
    name: string;
    custom: boolean;
    inputs: TInputs;
    state: Record<string, unknown>;
    id: string | undefined;
    /** The resource options the program passed (protect, dependsOn, ...). */
    options: pulumi.ResourceOptions;
    /** Dotted paths of the inputs that were marked secret (their values are unwrapped in `inputs`). */
    secretInputs: string[];
    /**
     * The URN the engine gives it: the parents' types chained with `$` before its own, then its name
     * (pulumi/pulumi, sdk/go/common/resource/urn.go, NewURN); a component's new type token changes every child's.
     */
    urn: string;
    /**
     * For each top-level input, the URNs of the resources whose outputs it takes: the engine's property dependencies
     * (pulumi/pulumi, sdk/nodejs/runtime/resource.ts, propertyDependencies), which decide what a replacement reaches.
     */
    dependencies: Record<string, string[]>;
    /** The URN of the provider resource that manages it, when it names one. */
    provider?: string;
}

/** The outcome of one run of the program under mocks. */
export interface ProgramRun {
    stack: string;
    region: string;
    /** Every registered resource, in registration order (components included). */
    resources: CapturedResource[];
    /** The stack outputs, resolved. */
    outputs: Record<string, unknown>;
    /** The invokes the program made, by token. */
    invokes: { token: string; inputs: Record<string, unknown> }[];
    ofType<TInputs = Record<string, unknown>>(type: string): CapturedResource<TInputs>[];
    /** The one resource of a type (optionally narrowed by name); fails when there is not exactly one. */
    one<TInputs = Record<string, unknown>>(type: string, name?: string): CapturedResource<TInputs>;
}

/** Config overrides by full key. `service.cpu`-style paths reach into structured values; `undefined` removes a key. */
export type ConfigOverrides = Record<string, unknown>;

export interface RunOptions {
    config?: ConfigOverrides;
    preview?: boolean;
    /** Module to load instead of the program's `index.ts` (a path relative to the project root). */
    entry?: string;
    /**
     * Another checkout of the project to run instead of this one (tests/harness.ts, `makeCheckout`, makes one). The run
     * happens with that directory as the working directory, as the CLI runs a program and its
     * providers in the project directory (pulumi/pulumi, pkg/engine/project.go, getPwdMain).
     */
    checkout?: string;
    /**
     * Changes what the mocks answer for one run: gets each resource's mocked state and returns the state to answer
     * instead (return it unchanged for the resources a test does not care about).
     */
    state?: (type: string, name: string, state: Record<string, unknown>) => Record<string, unknown>;
}

/** The stacks this project has: one `Pulumi.<stack>.yaml` each. */
export function listStacks(): string[] {
    return fs
        .readdirSync(projectRoot)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/** Reads `Pulumi.<stack>.yaml` into the `project:key` to string map the engine hands a program. */
export function stackConfig(
    stack: string,
    overrides: ConfigOverrides = {},
    root = projectRoot,
): Record<string, string> {
    const values = structuredClone(readStackFile(path.join(root, `Pulumi.${stack}.yaml`)));

    for (const [fullKey, value] of Object.entries(overrides)) {
        const colon = fullKey.indexOf(":");
        const [topKey, ...pathParts] = fullKey.slice(colon + 1).split(".");
        const key = `${fullKey.slice(0, colon)}:${topKey}`;
        if (pathParts.length === 0) {
            values[key] = value;
            continue;
        }
        let target = (values[key] ??= {}) as Record<string, unknown>;
        for (const part of pathParts.slice(0, -1)) {
            target = (target[part] ??= {}) as Record<string, unknown>;
        }
        target[pathParts[pathParts.length - 1]] = value;
    }

    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
        if (value !== undefined) {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    return config;
}

// How the runtime marks a secret value on the wire (sdk/nodejs/runtime/rpc.ts, specialSigKey/specialSecretSig).
const signatureKey = "4dabf18193072939515e22adb298388d";
const secretSignature = "1b47061264138c4ac30d75fd1eb44270";

/** Replaces wrapped secrets by their values, collecting the paths where they stood. */
function unwrapSecrets(value: unknown, at: string, secretPaths: string[]): unknown {
    if (Array.isArray(value)) {
        return value.map((item, index) => unwrapSecrets(item, `${at}[${index}]`, secretPaths));
    }
    if (value === null || typeof value !== "object") {
        return value;
    }
    const record = value as Record<string, unknown>;
    if (record[signatureKey] === secretSignature) {
        secretPaths.push(at);
        return unwrapSecrets(record.value, at, secretPaths);
    }
    return Object.fromEntries(
        Object.entries(record).map(([key, item]) => [
            key,
            unwrapSecrets(item, at === "" ? key : `${at}.${key}`, secretPaths),
        ]),
    );
}

// Only the program (index.ts) and an entry that wraps it run anything when loaded; the
// modules they import just define things, so reusing those is safe and saves a recompile.
function forgetProgramModules(root: string, entry: string): void {
    delete require.cache[require.resolve(entry)];
    delete require.cache[require.resolve(path.join(root, "index.ts"))];
}

/**
 * Runs the program for a stack under Pulumi's mock runtime: loads `Pulumi.<stack>.yaml`
 * (plus overrides) as the stack config, sets mocks, imports the program fresh, waits for
 * every registration to settle, and returns what it registered and exported.
 */
export async function runProgram(stack: string, options: RunOptions = {}): Promise<ProgramRun> {
    return execute(stack, options, []);
}

const unmodifiedRuns = new Map<string, Promise<ProgramRun>>();

/**
 * The program run for a stack exactly as its `Pulumi.<stack>.yaml` says, shared by every
 * test that only reads it (a run is deterministic; callers must not modify the result).
 */
export function stackRun(stack: string): Promise<ProgramRun> {
    let run = unmodifiedRuns.get(stack);
    if (run === undefined) {
        run = runProgram(stack);
        unmodifiedRuns.set(stack, run);
    }
    return run;
}

async function execute(stack: string, options: RunOptions, resources: CapturedResource[]): Promise<ProgramRun> {
    // A checkout runs with its own stack file, as a stack deployed from that commit was.
    const config = stackConfig(stack, options.config, options.checkout);
    const region = config["aws:region"] ?? "us-east-1";
    const invokes: ProgramRun["invokes"] = [];

    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
                const secretInputs: string[] = [];
                const inputs = unwrapSecrets(args.inputs ?? {}, "", secretInputs) as Record<string, unknown>;
                const mocked = mockState(args.type, args.name, inputs, region, options.preview ?? false);
                const state = options.state?.(args.type, args.name, mocked) ?? mocked;
                const id = args.custom ? `${args.name}-${shortHash(args.type, args.name).slice(0, 8)}` : undefined;
                // The root Stack is the engine's, registered for every program; it is not the program's doing.
                if (args.type !== "pulumi:pulumi:Stack") {
                    resources.push({
                        type: args.type,
                        name: args.name,
                        custom: args.custom ?? true,
                        inputs,
                        state,
                        id,
                        options: {},
                        secretInputs,
                        urn: "",
                        dependencies: {},
                        provider: providerKey(args.provider),
                    });
                }
                return { id, state };
            },
            call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
                invokes.push({ token: args.token, inputs: args.inputs as Record<string, unknown> });
                return mockInvoke(args.token, region, args.inputs as Record<string, unknown>);
            },
        },
        projectName,
        stack,
        options.preview ?? false,
    );
    pulumi.runtime.setAllConfig(config);

    const root = options.checkout ?? projectRoot;
    const entry = path.join(root, options.entry ?? "index.ts");
    forgetProgramModules(root, entry);
    const callerDirectory = process.cwd();
    process.chdir(root);
    const resourceOptions = new Map<string, pulumi.ResourceOptions>();
    const qualifiedTypes = new Map<string, string>();
    const qualifiedTypeOf = new WeakMap<pulumi.Resource, string>();
    const keyOf = new WeakMap<pulumi.Resource, string>();
    const dependencyKeys = new Map<string, Promise<Record<string, string[]>>>();
    let outputs: Record<string, unknown> | undefined;
    // Kept out of the Stack's own promise: a rejected init leaves promises derived from it
    // unhandled, which the language host absorbs but a test process would report twice.
    let programError: unknown;
    try {
        // The language host runs a program inside the root Stack resource the same way.
        outputs = (await pulumi.runtime.runInPulumiStack(async () => {
            // Mocks never see resource options (protect, dependsOn); a stack transformation does.
            pulumi.runtime.registerStackTransformation((args) => {
                resourceOptions.set(`${args.type}::${args.name}`, args.opts);
                const parentType = args.opts.parent === undefined ? undefined : qualifiedTypeOf.get(args.opts.parent);
                const qualified = parentType === undefined ? args.type : `${parentType}$${args.type}`;
                qualifiedTypeOf.set(args.resource, qualified);
                qualifiedTypes.set(`${args.type}::${args.name}`, qualified);
                keyOf.set(args.resource, `${args.type}::${args.name}`);
                dependencyKeys.set(`${args.type}::${args.name}`, dependenciesOf(args.props, keyOf));
                return undefined;
            });
            try {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                return require(entry) as Record<string, unknown>;
            } catch (error) {
                programError = error;
                return {};
            }
        })) as Record<string, unknown> | undefined;
    } finally {
        // Resources that feed no output still have registrations in flight; drain them.
        await pulumi.runtime.disconnect();
        process.chdir(callerDirectory);
    }
    if (programError !== undefined) {
        throw programError;
    }
    // In a preview, stack outputs that depend on unknown values resolve to nothing at all.
    outputs ??= {};
    const urnOf = (key: string) =>
        `urn:pulumi:${stack}::${projectName}::${qualifiedTypes.get(key) ?? key.split("::")[0]}::${key.split("::")[1]}`;
    for (const resource of resources) {
        const key = `${resource.type}::${resource.name}`;
        resource.options = resourceOptions.get(key) ?? {};
        resource.urn = urnOf(key);
        resource.provider = resource.provider === undefined ? undefined : urnOf(resource.provider);
        const byInput = (await dependencyKeys.get(key)) ?? {};
        resource.dependencies = Object.fromEntries(
            Object.entries(byInput).map(([input, keys]) => [
                input,
                keys.filter((dependency) => dependency !== key).map(urnOf),
            ]),
        );
    }

    const ofType = <T>(type: string) => resources.filter((resource) => resource.type === type) as CapturedResource<T>[];
    return {
        stack,
        region,
        resources,
        outputs: outputs ?? {},
        invokes,
        ofType,
        one<T>(type: string, name?: string): CapturedResource<T> {
            const matches = ofType<T>(type).filter((resource) => name === undefined || resource.name === name);
            if (matches.length !== 1) {
                const names = matches.map((resource) => resource.name).join(", ");
                throw new Error(
                    `expected one ${type}${name ? ` named ${name}` : ""}, found ${matches.length} (${names})`,
                );
            }
            return matches[0];
        },
    };
}

/**
 * Runs the program expecting it to fail, and returns the error together with what had been
 * registered by then, so a test can check that bad input registers nothing.
 */
export async function runProgramExpectingError(
    stack: string,
    options: RunOptions = {},
): Promise<{ error: Error; resources: CapturedResource[] }> {
    const resources: CapturedResource[] = [];
    try {
        await execute(stack, options, resources);
    } catch (error) {
        return { error: error as Error, resources };
    }
    throw new Error(
        `expected stack ${stack} to fail with ${JSON.stringify(options.config)}, but it registered ${resources.length} resources`,
    );
}

/** The resources each top-level input takes outputs from, as `type::name` keys, once every output has settled. */
async function dependenciesOf(
    props: Record<string, unknown>,
    keyOf: WeakMap<pulumi.Resource, string>,
): Promise<Record<string, string[]>> {
    const entries = await Promise.all(
        Object.entries(props).map(async ([input, value]): Promise<[string, string[]]> => {
            const found = new Set<string>();
            for (const output of outputsIn(value)) {
                for (const resource of await resourcesBehind(output)) {
                    const key = keyOf.get(resource);
                    if (key !== undefined) {
                        found.add(key);
                    }
                }
            }
            return [input, [...found].sort()];
        }),
    );
    return Object.fromEntries(entries.filter(([, keys]) => keys.length > 0));
}

/**
 * The provider a reference names, as a `type::name` key. A reference is `<urn>::<id>` (pulumi/pulumi,
 * sdk/nodejs/runtime/resource.ts), and the mocks build that URN from the immediate parent's type only.
 */
function providerKey(reference: string | undefined): string | undefined {
    const urn = reference?.slice(0, reference.lastIndexOf("::"));
    const parts = urn?.split("::");
    return parts === undefined || parts.length < 4 ? undefined : `${parts[2].split("$").pop()}::${parts[3]}`;
}

/** Every resource an output's value came from; the SDK keeps them on the output, outside its typed surface. */
function resourcesBehind(output: pulumi.Output<unknown>): Promise<Set<pulumi.Resource>> {
    const internal = output as unknown as { allResources?: () => Promise<Set<pulumi.Resource>> };
    return internal.allResources?.() ?? Promise.resolve(new Set());
}

function outputsIn(value: unknown): pulumi.Output<unknown>[] {
    if (pulumi.Output.isInstance(value)) {
        return [value];
    }
    if (Array.isArray(value)) {
        return value.flatMap(outputsIn);
    }
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.values(value).flatMap(outputsIn);
    }
    return [];
}
