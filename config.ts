import * as pulumi from "@pulumi/pulumi";
import { distance } from "fastest-levenshtein";
import { z } from "zod";
import { appRunnerServiceDefaults } from "./components/appRunnerService";
import { armLambdaDefaults, functionUrlAuthTypes } from "./components/armLambda";
import { expressModeServiceDefaults } from "./components/expressModeService";
import { managedPolicyArnPattern } from "./components/iam";
import { networkDefaults } from "./components/network";
import { projectName } from "./components/project";
import { parseNamespace, RawConfig } from "./lib/stackConfig";
import { eksSchema } from "./settings/eks";
import { serviceSchema } from "./settings/service";
import { bool, choice, fromConfigString, int, logRetentionDays, oneOf, text } from "./settings/values";
import { appRunnerMemoryByCpu, expressMemoryByCpu } from "./components/sizing";

export { projectName };
export type { RawConfig };

const lambdaSchema = z.strictObject({
    memoryMb: int(128, 10240).default(armLambdaDefaults.memoryMb),
    timeoutSeconds: int(1, 900).default(armLambdaDefaults.timeoutSeconds),
    urlAuthType: choice(functionUrlAuthTypes).default(armLambdaDefaults.urlAuthType),
    logRetentionDays: z
        .preprocess(fromConfigString, oneOf(logRetentionDays))
        .default(armLambdaDefaults.logRetentionDays),
});

const appRunnerSchema = z
    .strictObject({
        enabled: bool().default(false),
        cpu: z
            .preprocess(fromConfigString, oneOf(Object.keys(appRunnerMemoryByCpu).map(Number)))
            .default(appRunnerServiceDefaults.cpu),
        memory: int(512, 12288).default(appRunnerServiceDefaults.memory),
    })
    .superRefine((appRunner, ctx) => {
        const allowedMemory = appRunnerMemoryByCpu[appRunner.cpu];
        if (allowedMemory && !allowedMemory.includes(appRunner.memory)) {
            ctx.addIssue({
                code: "custom",
                path: ["memory"],
                input: appRunner.memory,
                message: `App Runner has no instance with cpu ${appRunner.cpu} and memory ${appRunner.memory}; with cpu ${appRunner.cpu} allowed memory is ${allowedMemory.join(", ")}`,
            });
        }
    });

const expressModeSchema = z
    .strictObject({
        enabled: bool().default(false),
        cpu: z
            .preprocess(fromConfigString, oneOf(Object.keys(expressMemoryByCpu).map(Number)))
            .default(expressModeServiceDefaults.cpu),
        memory: int(512, 8192).default(expressModeServiceDefaults.memory),
    })
    .superRefine((express, ctx) => {
        const allowedMemory = expressMemoryByCpu[express.cpu];
        if (allowedMemory && !allowedMemory.includes(express.memory)) {
            ctx.addIssue({
                code: "custom",
                path: ["memory"],
                input: express.memory,
                message: `ECS Express Mode has no task size with cpu ${express.cpu} and memory ${express.memory}; with cpu ${express.cpu} allowed memory is ${allowedMemory.join(", ")}`,
            });
        }
    });

const subnetIdsError = "expected a list of at least two subnet ids like subnet-0123abcd";
const subnetIds = z
    .array(text(/^subnet-[0-9a-f]{8,17}$/, "expected subnet ids like subnet-0123abcd"), { error: subnetIdsError })
    .min(2, { error: subnetIdsError });

const networkSchema = z
    .strictObject({
        vpcId: text(/^vpc-[0-9a-f]{8,17}$/, "expected a VPC id like vpc-0123abcd").optional(),
        publicSubnetIds: subnetIds.optional(),
        privateSubnetIds: subnetIds.optional(),
        cidrBlock: text(
            /^(\d{1,3}\.){3}\d{1,3}\/(1[6-9]|2[0-4])$/,
            "expected an IPv4 CIDR block from /16 to /24, like 10.0.0.0/16",
        ).default(networkDefaults.cidrBlock),
        natGateways: choice(["Single", "OnePerAz"]).default(networkDefaults.natGateways),
    })
    .superRefine((network, ctx) => {
        const reused = network.vpcId !== undefined;
        for (const key of ["publicSubnetIds", "privateSubnetIds"] as const) {
            if (reused && network[key] === undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    input: undefined,
                    message: `is required when vpcId is set: list at least two subnets of ${network.vpcId} in different AZs`,
                });
            }
            if (!reused && network[key] !== undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    input: network[key],
                    message: "is only used with an existing VPC: set vpcId too, or remove it to create a new VPC",
                });
            }
        }
    });

const builderNameError =
    "expected a buildx builder name: letters, digits, '_', '.' and '-', starting with a letter or digit";
const builderName = text(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, builderNameError);

const imageSchema = z.strictObject({
    amd64Builder: builderName.optional(),
    arm64Builder: builderName.optional(),
});

const iamSchema = z.strictObject({
    // The bootstrap's deploy roles create roles only with their stack's boundary (docs/platform-facts.md,
    // "Scoping the deploy role"); unset, the roles get none, as a deploy with admin rights may leave it.
    permissionsBoundaryArn: text(
        managedPolicyArnPattern,
        "expected the ARN of an IAM managed policy, like the bootstrap's permissionsBoundaryArn output: arn:aws:iam::123456789012:policy/<name>",
    ).optional(),
});

/** The tags index.ts puts on every resource; a stack's own tags may not replace them. */
export const programTagKeys: readonly string[] = ["project", "stack", "managed-by"];

const tagsSchema = z
    .record(
        z
            .string()
            .min(1)
            .max(128)
            .refine((key) => !key.toLowerCase().startsWith("aws:"), "tag keys starting with aws: are reserved by AWS")
            // index.ts sets these on every resource, and the bootstrap's deploy roles are scoped by project and stack;
            // IAM tag keys ignore case (docs/platform-facts.md, "Scoping the deploy role").
            .refine(
                (key) => !programTagKeys.includes(key.toLowerCase()),
                `tag keys ${programTagKeys.join(", ")} are set by the program itself, in any case`,
            ),
        // AWS tags are text; `pulumi config set --path tags.costCenter 4711` stores a number (see fromConfigString).
        z
            .union([z.string(), z.number(), z.boolean()], { error: "expected a text, number or boolean tag value" })
            .transform(String)
            .pipe(z.string().max(256, { error: "expected a tag value of at most 256 characters" })),
        { error: "expected a map of tag names to values, e.g. set with `pulumi config set --path tags.team platform`" },
    )
    .superRefine((tags, ctx) => {
        // IAM refuses two tag keys that differ only in case ("Duplicate tag keys found").
        const seen = new Map<string, string>();
        for (const [key, value] of Object.entries(tags)) {
            const first = seen.get(key.toLowerCase());
            if (first === undefined) {
                seen.set(key.toLowerCase(), key);
            } else {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    input: value,
                    message: `differs only in case from tag ${first}, and AWS IAM tag keys ignore case`,
                });
            }
        }
    });

/** Every top-level key this project reads from its own config namespace. */
const stackSchema = z.strictObject({
    service: serviceSchema.prefault({}),
    lambda: lambdaSchema.prefault({}),
    appRunner: appRunnerSchema.prefault({}),
    eks: eksSchema.prefault({}),
    expressMode: expressModeSchema.prefault({}),
    network: networkSchema.prefault({}),
    image: imageSchema.prefault({}),
    iam: iamSchema.prefault({}),
    tags: tagsSchema.default({}),
    protect: bool().default(true),
});

/** The structured sections, by top-level key; the other top-level keys (`tags`, `protect`) are single values. */
const sectionSchemas = {
    service: serviceSchema,
    lambda: lambdaSchema,
    appRunner: appRunnerSchema,
    eks: eksSchema,
    expressMode: expressModeSchema,
    network: networkSchema,
    image: imageSchema,
    iam: iamSchema,
} as const;

/** Every setting a stack may write, as the dotted keys of `pulumi config set --path` (`service.cpu`). */
export function configKeys(): string[] {
    const sectionKeys = Object.entries(sectionSchemas).flatMap(([section, schema]) =>
        Object.keys(schema.shape).map((key) => `${section}.${key}`),
    );
    const singleKeys = Object.keys(stackSchema.shape).filter((key) => !(key in sectionSchemas));
    return [...sectionKeys, ...singleKeys];
}

/** What a stack that sets nothing gets, by dotted key; a key without a default is absent. */
export function configDefaults(): Record<string, unknown> {
    const parsed: Record<string, unknown> = stackSchema.parse({});
    const defaults: Record<string, unknown> = {};
    for (const key of configKeys()) {
        const [top, inner] = key.split(".");
        const value = inner === undefined ? parsed[top] : (parsed[top] as Record<string, unknown>)[inner];
        if (value !== undefined) {
            defaults[key] = value;
        }
    }
    return defaults;
}

export type ServiceConfig = z.infer<typeof serviceSchema>;
export type LambdaConfig = z.infer<typeof lambdaSchema>;
export type AppRunnerConfig = z.infer<typeof appRunnerSchema>;
export type EksConfig = z.infer<typeof eksSchema>;
export type ExpressModeConfig = z.infer<typeof expressModeSchema>;
export type NetworkConfig = z.infer<typeof networkSchema>;
export type ImageConfig = z.infer<typeof imageSchema>;
export type IamConfig = z.infer<typeof iamSchema>;

export interface StackConfig extends z.infer<typeof stackSchema> {
    region: string;
    stack: string;
}

/**
 * Turns raw stack config into one validated object, or throws one Error that lists every
 * problem by its full key (`graviton-multiarch:service.cpu`), the value found and what is allowed.
 */
export function parseStackConfig(raw: RawConfig, stack: string): StackConfig {
    const { data, region } = parseNamespace(raw, stack, projectName, stackSchema, {
        seeAlso: "the configuration table in README.md",
        check: (parsed) => certificateRegionProblems(parsed.service.certificateArn, raw["aws:region"]),
    });
    return { ...data, region, stack };
}

/**
 * An ALB listener can only use a certificate of its own region: ACM certificates are regional and cannot be copied
 * between regions (docs/platform-facts.md, "HTTPS on the load balancer").
 */
function certificateRegionProblems(certificateArn: string | undefined, region: string | undefined): string[] {
    const certificateRegion = certificateArn?.split(":")[3];
    if (certificateArn === undefined || region === undefined || certificateRegion === region) {
        return [];
    }
    return [
        `${projectName}:service.certificateArn = ${JSON.stringify(certificateArn)}: the certificate is in ${certificateRegion}, but the stack's load balancer is in aws:region ${region}; request or import the certificate in ${region}`,
    ];
}

/**
 * The config namespaces a stack may use: this project's, and those of the providers it runs (`aws`, `awsx`,
 * `docker-build`) and of the engine (`pulumi`, e.g. `pulumi:tags`). A key in any other namespace is read by
 * nothing, which is usually a misspelt project name.
 */
export const knownNamespaces: readonly string[] = [projectName, "aws", "awsx", "docker-build", "pulumi"];

/** One warning per stack-config key that nothing reads, with the namespace it was likely meant for. */
export function configWarnings(raw: RawConfig): string[] {
    return Object.keys(raw)
        .filter((fullKey) => !knownNamespaces.includes(namespaceOf(fullKey)))
        .map((fullKey) => {
            const namespace = namespaceOf(fullKey);
            const near = knownNamespaces.find((known) => distance(known, namespace) <= 2);
            const hint = near === undefined ? "" : `; did you mean ${near}:${fullKey.slice(namespace.length + 1)}?`;
            const known = knownNamespaces.map((name) => `${name}:`).join(", ");
            return `config key ${fullKey} is not read by this program (it reads ${known})${hint}`;
        });
}

// A key without a colon is stored by the CLI under the project's namespace, so only keys with one get here.
function namespaceOf(fullKey: string): string {
    const colon = fullKey.indexOf(":");
    return colon < 0 ? "" : fullKey.slice(0, colon);
}

/** Reads and validates the current stack's config once; `index.ts` passes the result down. */
export function loadStackConfig(): StackConfig {
    const raw = pulumi.runtime.allConfig();
    for (const warning of configWarnings(raw)) {
        void pulumi.log.warn(warning);
    }
    return parseStackConfig(raw, pulumi.getStack());
}
