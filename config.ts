import * as pulumi from "@pulumi/pulumi";
import { distance } from "fastest-levenshtein";
import { z } from "zod";
import { appRunnerServiceDefaults } from "./components/appRunnerService";
import { armLambdaDefaults, functionUrlAuthTypes } from "./components/armLambda";
import { eksGravitonDefaults, kubernetesVersionPattern, nonGravitonInstanceTypes } from "./components/eksGraviton";
import { expressModeServiceDefaults } from "./components/expressModeService";
import { fargateServicePairDefaults } from "./components/fargateServicePair";
import { managedPolicyArnPattern } from "./components/iam";
import { httpsPort } from "./components/loadBalancer";
import { networkDefaults } from "./components/network";
import { projectName } from "./components/project";
import { parseNamespace, RawConfig } from "./lib/stackConfig";
import { appRunnerMemoryByCpu, expressMemoryByCpu, fargateMemoryByCpu } from "./components/sizing";

export { projectName };
export type { RawConfig };

/** The only retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const logRetentionDays = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

function oneOf(values: readonly number[]) {
    return z.number({ error: `expected one of ${values.join(", ")}` }).refine((value) => values.includes(value), {
        message: `expected one of ${values.join(", ")}`,
    });
}

// A top-level `pulumi config set` value is always text, while under `--path` integers and true/false are
// stored as numbers and booleans (docs/platform-facts.md, "Pulumi config"): either spelling is accepted.
const fromConfigString = (value: unknown): unknown => {
    if (typeof value !== "string") {
        return value;
    }
    if (/^-?\d+(\.\d+)?$/.test(value)) {
        return Number(value);
    }
    if (value === "true" || value === "false") {
        return value === "true";
    }
    return value;
};
const num = (schema: z.ZodNumber) => z.preprocess(fromConfigString, schema);
const int = (min: number, max: number) => {
    const error = `expected a whole number from ${min} to ${max}`;
    return num(z.number({ error }).int({ error }).min(min, { error }).max(max, { error }));
};
const bool = () => z.preprocess(fromConfigString, z.boolean({ error: "expected true or false" }));
/** Text of a given shape; the same message whether the value is of the wrong type or shape. */
const text = (shape: RegExp, error: string) => z.string({ error }).regex(shape, error);
/** One of a fixed list of strings, the error listing them. */
const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
    z.enum(values, { error: `expected one of ${values.join(", ")}` });

const serviceSchema = z
    .strictObject({
        cpu: z
            .preprocess(fromConfigString, oneOf(Object.keys(fargateMemoryByCpu).map(Number)))
            .default(fargateServicePairDefaults.cpu),
        memory: int(512, 122880).default(fargateServicePairDefaults.memory),
        x86DesiredCount: int(0, 100).default(fargateServicePairDefaults.x86DesiredCount),
        armDesiredCount: int(0, 100).default(fargateServicePairDefaults.armDesiredCount),
        maxCountPerArch: int(1, 100).default(fargateServicePairDefaults.maxCountPerArch),
        armTrafficPercent: int(0, 100).default(fargateServicePairDefaults.armTrafficPercent),
        scaleOnCpuPercent: int(10, 90).default(fargateServicePairDefaults.scaleOnCpuPercent),
        containerPort: int(1024, 65535).default(fargateServicePairDefaults.containerPort),
        listenerPort: int(1, 65535).default(fargateServicePairDefaults.listenerPort),
        logRetentionDays: z
            .preprocess(fromConfigString, oneOf(logRetentionDays))
            .default(fargateServicePairDefaults.logRetentionDays),
        containerInsights: bool().default(fargateServicePairDefaults.containerInsights),
        certificateArn: text(
            /^arn:aws:acm:[a-z]{2}(-[a-z]+)+-\d:\d{12}:certificate\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/,
            "expected an ACM certificate ARN like arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
        ).optional(),
        domainName: text(
            /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
            "expected a lower-case DNS name like app.example.com",
        ).optional(),
        hostedZoneId: text(
            /^Z[A-Z0-9]{1,31}$/,
            "expected a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ",
        ).optional(),
        armSpot: bool().default(fargateServicePairDefaults.armSpot),
        armSpotOnDemandBase: int(0, 100).default(fargateServicePairDefaults.armSpotOnDemandBase),
    })
    .superRefine((service, ctx) => {
        for (const [key, other] of [
            ["domainName", "hostedZoneId"],
            ["hostedZoneId", "domainName"],
        ] as const) {
            if (service[key] !== undefined && service[other] === undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: [other],
                    input: undefined,
                    message: `is required when ${key} is set: the program requests the certificate for domainName and validates it in the hostedZoneId zone`,
                });
            }
        }
        if (service.domainName !== undefined && service.certificateArn !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["certificateArn"],
                input: service.certificateArn,
                message:
                    "cannot be set together with domainName: use an existing certificate, or let the program request one for domainName, not both",
            });
        }
        const https = service.certificateArn !== undefined || service.domainName !== undefined;
        if (https && service.listenerPort === httpsPort) {
            ctx.addIssue({
                code: "custom",
                path: ["listenerPort"],
                input: service.listenerPort,
                message: `must not be ${httpsPort} with HTTPS: the HTTPS listener takes port ${httpsPort} and the HTTP listener (80 by default) only redirects to it`,
            });
        }
        if (!service.armSpot && service.armSpotOnDemandBase > 0) {
            ctx.addIssue({
                code: "custom",
                path: ["armSpotOnDemandBase"],
                input: service.armSpotOnDemandBase,
                message: "is only used with armSpot: set service.armSpot to true, or remove armSpotOnDemandBase",
            });
        }
        const allowedMemory = fargateMemoryByCpu[service.cpu];
        if (allowedMemory && !allowedMemory.includes(service.memory)) {
            ctx.addIssue({
                code: "custom",
                path: ["memory"],
                input: service.memory,
                message: `Fargate has no task size with cpu ${service.cpu} and memory ${service.memory}; with cpu ${service.cpu} allowed memory is ${allowedMemory.join(", ")}`,
            });
        }
        for (const [countKey, count] of [
            ["x86DesiredCount", service.x86DesiredCount],
            ["armDesiredCount", service.armDesiredCount],
        ] as const) {
            if (count > service.maxCountPerArch) {
                ctx.addIssue({
                    code: "custom",
                    path: ["maxCountPerArch"],
                    input: service.maxCountPerArch,
                    message: `must be at least ${countKey} (${count}), or autoscaling would cap the service below its desired count`,
                });
            }
        }
        // A target group with weight but no tasks answers 503 to its share of requests.
        if (service.armTrafficPercent > 0 && service.armDesiredCount === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["armDesiredCount"],
                input: 0,
                message: `must be at least 1 while armTrafficPercent is ${service.armTrafficPercent}; set armTrafficPercent to 0 to run no ARM tasks`,
            });
        }
        if (service.armTrafficPercent < 100 && service.x86DesiredCount === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["x86DesiredCount"],
                input: 0,
                message: `must be at least 1 while armTrafficPercent is ${service.armTrafficPercent}; set armTrafficPercent to 100 to run no x86 tasks`,
            });
        }
    });

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

const instanceTypesError = 'expected a list of EC2 instance type names like ["t4g.medium"]';
const eksSchema = z
    .strictObject({
        enabled: bool().default(false),
        // Text only: in YAML an unquoted 1.30 is the number 1.3.
        kubernetesVersion: z
            .string({ error: 'expected a Kubernetes version as text, like "1.36" (quoted in YAML)' })
            .regex(kubernetesVersionPattern, "expected a Kubernetes version EKS offers, written 1.<minor>, like 1.36")
            .default(eksGravitonDefaults.kubernetesVersion),
        instanceTypes: z
            .array(z.string({ error: instanceTypesError }), { error: instanceTypesError })
            .default([...eksGravitonDefaults.instanceTypes])
            .superRefine((types, ctx) => {
                // The pack's instance-family table decides, so a type the pack would reject never gets registered.
                const problem = nonGravitonInstanceTypes(types);
                if (problem !== undefined) {
                    ctx.addIssue({ code: "custom", input: types, message: problem });
                }
            }),
        minSize: int(0, 100).default(eksGravitonDefaults.minSize),
        desiredSize: int(1, 100).default(eksGravitonDefaults.desiredSize),
        maxSize: int(1, 100).default(eksGravitonDefaults.maxSize),
        replicas: int(1, 100).default(eksGravitonDefaults.replicas),
        controlPlaneLogging: bool().default(eksGravitonDefaults.controlPlaneLogging),
        logRetentionDays: z
            .preprocess(fromConfigString, oneOf(logRetentionDays))
            .default(eksGravitonDefaults.logRetentionDays),
    })
    .superRefine((eks, ctx) => {
        // EKS refuses a scaling config outside min <= desired <= max (EKS API reference, NodegroupScalingConfig).
        if (eks.desiredSize < eks.minSize) {
            ctx.addIssue({
                code: "custom",
                path: ["minSize"],
                input: eks.minSize,
                message: `must not exceed desiredSize (${eks.desiredSize})`,
            });
        }
        if (eks.desiredSize > eks.maxSize) {
            ctx.addIssue({
                code: "custom",
                path: ["maxSize"],
                input: eks.maxSize,
                message: `must be at least desiredSize (${eks.desiredSize})`,
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
