// Every policy of the graviton-guard pack, and the pack's configuration.
//
// The tests import this module; only index.ts constructs the PolicyPack, because its constructor
// starts the analyzer's gRPC server (docs/platform-facts.md, "Pulumi SDK behaviour").
//
// Each policy's own module says why it has its enforcement level; policy-pack/README.md lists them (a test
// keeps that table equal to this list).

import type { EnforcementLevel, Policies, PolicyConfigSchema, PolicyPackConfig } from "@pulumi/policy";
import { eksNodeGroupArchitectureMatch, eksNodeGroupArchitectureUnknown } from "./eks";
import { ecsTaskDefinitionDeclaresArchitecture } from "./ecs";
import { gravitonExemptionsInUse } from "./exemptions";
import { dockerBuildImageIncludesArm64 } from "./arm64Images";
import { imagesPinnedByDigest } from "./digests";
import { lambdaArm64Only } from "./lambda";
import type { Exemption } from "./policyConfig";
import { ecsServiceCapacityArchitectureMatch, ecsServiceCapacityArchitectureUnknown } from "./ecsPlacement";
import {
    lambdaImageArchitectureMatch,
    lambdaImageArchitectureUnknown,
    lambdaLayerArchitectureMatch,
    lambdaLayerArchitectureUnknown,
} from "./lambdaArtifacts";
import {
    lambdaCapacityProviderArchitectureMatch,
    lambdaCapacityProviderArchitectureUnknown,
} from "./lambdaCapacityProviders";
import { ec2AmiArchitectureMatch, ec2AmiArchitectureUnknown } from "./ec2";
import {
    batchComputeEnvironmentArchitectureMatch,
    batchComputeEnvironmentArchitectureUnknown,
    batchJobDefinitionDeclaresArchitecture,
    batchJobDefinitionGraviton,
} from "./batch";
import { emrServerlessApplicationArchitectureUnknown, emrServerlessApplicationGraviton } from "./emrServerless";
import { codebuildProjectArchitectureMatch, codebuildProjectArchitectureUnknown } from "./codebuild";

export const PACK_NAME = "graviton-guard";

export const policies: Policies = [
    lambdaArm64Only,
    eksNodeGroupArchitectureMatch,
    eksNodeGroupArchitectureUnknown,
    dockerBuildImageIncludesArm64,
    ecsTaskDefinitionDeclaresArchitecture,
    imagesPinnedByDigest,
    gravitonExemptionsInUse,
    ecsServiceCapacityArchitectureMatch,
    ecsServiceCapacityArchitectureUnknown,
    lambdaImageArchitectureMatch,
    lambdaImageArchitectureUnknown,
    lambdaLayerArchitectureMatch,
    lambdaLayerArchitectureUnknown,
    lambdaCapacityProviderArchitectureMatch,
    lambdaCapacityProviderArchitectureUnknown,
    ec2AmiArchitectureMatch,
    ec2AmiArchitectureUnknown,
    batchComputeEnvironmentArchitectureMatch,
    batchComputeEnvironmentArchitectureUnknown,
    batchJobDefinitionDeclaresArchitecture,
    batchJobDefinitionGraviton,
    emrServerlessApplicationGraviton,
    emrServerlessApplicationArchitectureUnknown,
    codebuildProjectArchitectureMatch,
    codebuildProjectArchitectureUnknown,
];

/** Each configurable policy's schema, by policy name (what `pulumi policy` validates a config file against). */
export const policyConfigSchema: Readonly<Record<string, PolicyConfigSchema>> = Object.fromEntries(
    policies.flatMap((policy) => (policy.configSchema ? [[policy.name, policy.configSchema]] : [])),
);

/** The settings a team chooses, before they are spread over the policies that read them. */
export interface GravitonGuardSettings {
    /** Every EKS node group must be arm64 (eks-nodegroup-architecture-match). */
    requireGraviton?: boolean;
    /** Resources waived from the mandatory policies, each with its reason. */
    exemptions?: Exemption[];
    /** Per-policy enforcement level overrides. */
    enforcementLevels?: Readonly<Record<string, EnforcementLevel>>;
}

/**
 * Builds the pack config (the JSON for `--policy-pack-config` or a Pulumi Cloud policy group) from one set of
 * settings. Pulumi passes each policy only its own section, so the exemption list is written into every
 * policy whose schema has `exemptions`, and `requireGraviton` into the policy that declares it.
 */
export function packConfig(settings: GravitonGuardSettings): PolicyPackConfig {
    const config: PolicyPackConfig = {};
    for (const policy of policies) {
        const section: Record<string, unknown> = {};
        const properties = policy.configSchema?.properties ?? {};
        if ("exemptions" in properties && settings.exemptions && settings.exemptions.length > 0) {
            section.exemptions = settings.exemptions;
        }
        if ("requireGraviton" in properties && settings.requireGraviton !== undefined) {
            section.requireGraviton = settings.requireGraviton;
        }
        const level = settings.enforcementLevels?.[policy.name];
        if (level !== undefined) {
            section.enforcementLevel = level;
        }
        if (Object.keys(section).length > 0) {
            config[policy.name] = section;
        }
    }
    return config;
}
