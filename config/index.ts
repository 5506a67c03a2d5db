// The stack's configuration, read and validated once before anything is registered: one file per section, the
// settings a component takes read through that component's own rules (components/rules.ts).
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { projectName } from "../components/project";
import { appRunnerSchema } from "./appRunner";
import { eksSchema } from "./eks";
import { expressModeSchema } from "./expressMode";
import { iamSchema } from "./iam";
import { imageSchema } from "./image";
import { lambdaSchema } from "./lambda";
import { alarmTopicRegionProblems, monitoringSchema } from "./monitoring";
import { keysOutside, parseNamespace, RawConfig } from "./namespace";
import { networkSchema } from "./network";
import { certificateRegionProblems, serviceSchema } from "./service";
import { tagsSchema } from "./tags";
import { bool } from "./values";

export { projectName };
export type { RawConfig };
export { programTagKeys, programTags } from "./tags";

/** Where each setting is documented, for the message about an unknown key. */
const configReference = "docs/configuration.md";

/**
 * The config namespaces a stack may use besides this project's: those of the providers it runs (`aws`, `awsx`,
 * `docker-build`) and of the engine (`pulumi`, e.g. `pulumi:tags`). A key in a namespace that looks like a
 * misspelling of one of these is refused; one in any other namespace is read by nothing, and reported.
 */
export const otherNamespaces: readonly string[] = ["aws", "awsx", "docker-build", "pulumi"];

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
    monitoring: monitoringSchema.prefault({}),
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
    monitoring: monitoringSchema,
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
export type MonitoringConfig = z.infer<typeof monitoringSchema>;

export interface StackConfig extends z.infer<typeof stackSchema> {
    region: string;
    stack: string;
}

/**
 * Turns raw stack config into one validated object, or throws one Error that names the stack file and lists every
 * problem by its full key (`graviton-multiarch:service.cpu`), the value found and what is allowed.
 */
export function parseStackConfig(raw: RawConfig, stack: string): StackConfig {
    const { data, region } = parseNamespace(raw, stack, projectName, stackSchema, {
        seeAlso: configReference,
        otherNamespaces,
        check: (parsed) => [
            ...certificateRegionProblems(`${projectName}:`, parsed.service.certificateArn, raw["aws:region"]),
            ...alarmTopicRegionProblems(`${projectName}:`, parsed.monitoring.alarmTopicArn, raw["aws:region"]),
        ],
    });
    return { ...data, region, stack };
}

/** One warning per stack-config key in a namespace nothing reads that looks like no misspelling of one. */
export function configWarnings(raw: RawConfig): string[] {
    return keysOutside(raw, [projectName, ...otherNamespaces]).warnings;
}

/** Reads and validates the current stack's config once; `index.ts` passes the result down. */
export function loadStackConfig(): StackConfig {
    const raw = pulumi.runtime.allConfig();
    for (const warning of configWarnings(raw)) {
        void pulumi.log.warn(warning);
    }
    return parseStackConfig(raw, pulumi.getStack());
}
