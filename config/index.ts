// The stack's configuration, read and validated once before anything is registered: one file per section.
import * as pulumi from "@pulumi/pulumi";
import { distance } from "fastest-levenshtein";
import { z } from "zod";
import { projectName } from "../components/project";
import { appRunnerSchema } from "./appRunner";
import { eksSchema } from "./eks";
import { expressModeSchema } from "./expressMode";
import { iamSchema } from "./iam";
import { imageSchema } from "./image";
import { lambdaSchema } from "./lambda";
import { parseNamespace, RawConfig } from "./namespace";
import { networkSchema } from "./network";
import { serviceSchema } from "./service";
import { tagsSchema } from "./tags";
import { bool } from "./values";

export { projectName };
export type { RawConfig };
export { programTagKeys, programTags } from "./tags";

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
