// The bootstrap program under Pulumi's mock runtime, as harness/index.ts runs the main program: set mocks for this
// project, import the program fresh, wait for every registration, return what it registered and exported. Each run
// sets its own mocks and config and disconnects at the end, so runs of the two programs do not see each other.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { bootstrapProject } from "../config";

export const bootstrapRoot = path.resolve(__dirname, "..");
export const mockAccountId = "123456789012";

/** A repository that passes validation, for runs that do not test the repository itself. */
export const exampleRepository = "octo-org/octo-repo";

export interface BootstrapResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    /** What the mocks answered: the inputs plus the physical name and ARN AWS would assign. */
    state: Record<string, unknown>;
}

export interface BootstrapRun {
    resources: BootstrapResource[];
    outputs: Record<string, unknown>;
    ofType(type: string): BootstrapResource[];
}

/** `Pulumi.<stack>.yaml` of the bootstrap, with overrides by full key (`undefined` removes a key). */
export function bootstrapConfig(stack: string, overrides: Record<string, unknown> = {}): Record<string, string> {
    const file = path.join(bootstrapRoot, `Pulumi.${stack}.yaml`);
    const document = parseYaml(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    const values: Record<string, unknown> = { ...(document?.config ?? {}), ...overrides };
    return Object.fromEntries(
        Object.entries(values)
            .filter(([, value]) => value !== undefined)
            .map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
    );
}

function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const physicalName = `${name}-${Buffer.from(name).toString("hex").slice(0, 7)}`;
    switch (type) {
        case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            // IAM names the provider after its URL without the scheme.
            return {
                ...inputs,
                arn: `arn:aws:iam::${mockAccountId}:oidc-provider/${String(inputs.url).replace(/^https:\/\//, "")}`,
            };
        case "aws:iam/role:Role":
            return { ...inputs, name: physicalName, arn: `arn:aws:iam::${mockAccountId}:role/${physicalName}` };
        case "aws:iam/policy:Policy":
            return { ...inputs, name: physicalName, arn: `arn:aws:iam::${mockAccountId}:policy/${physicalName}` };
        default:
            return inputs;
    }
}

function mockInvoke(token: string): Record<string, unknown> {
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { id: mockAccountId, accountId: mockAccountId, arn: `arn:aws:iam::${mockAccountId}:user/admin` };
        case "aws:index/getPartition:getPartition":
            return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com" };
        default: {
            const message = `the bootstrap harness has no mock for invoke ${token}`;
            throw Object.assign(new Error(message), { details: message });
        }
    }
}

async function execute(stack: string, overrides: Record<string, unknown>, resources: BootstrapResource[]) {
    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
                const inputs = (args.inputs ?? {}) as Record<string, unknown>;
                const state = mockState(args.type, args.name, inputs);
                if (args.type !== "pulumi:pulumi:Stack") {
                    resources.push({ type: args.type, name: args.name, inputs, state });
                }
                return { id: args.custom ? `${args.name}-id` : undefined, state };
            },
            call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
                return mockInvoke(args.token);
            },
        },
        bootstrapProject,
        stack,
        false,
    );
    pulumi.runtime.setAllConfig(bootstrapConfig(stack, overrides));
    const entry = path.join(bootstrapRoot, "index.ts");
    delete require.cache[require.resolve(entry)];
    let programError: unknown;
    let outputs: Record<string, unknown> | undefined;
    try {
        outputs = (await pulumi.runtime.runInPulumiStack(async () => {
            try {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                return require(entry) as Record<string, unknown>;
            } catch (error) {
                programError = error;
                return {};
            }
        })) as Record<string, unknown> | undefined;
    } finally {
        await pulumi.runtime.disconnect();
    }
    if (programError !== undefined) {
        throw programError;
    }
    return outputs ?? {};
}

/** Runs the bootstrap for `stack` (default config of `Pulumi.<stack>.yaml` plus overrides). */
export async function runBootstrap(stack: string, overrides: Record<string, unknown> = {}): Promise<BootstrapRun> {
    const resources: BootstrapResource[] = [];
    const outputs = await execute(stack, overrides, resources);
    return { resources, outputs, ofType: (type) => resources.filter((resource) => resource.type === type) };
}

/** Runs the bootstrap expecting it to fail; returns the error and whatever had been registered by then. */
export async function runBootstrapExpectingError(
    stack: string,
    overrides: Record<string, unknown>,
): Promise<{ error: Error; resources: BootstrapResource[] }> {
    const resources: BootstrapResource[] = [];
    try {
        await execute(stack, overrides, resources);
    } catch (error) {
        return { error: error as Error, resources };
    }
    throw new Error(
        `expected the bootstrap to fail with ${JSON.stringify(overrides)}, but it registered ${resources.length} resources`,
    );
}
