// The architecture of the AMI an EC2 launch path boots, from what the stack and the pack config can prove: an
// aws.ec2.Ami or AmiCopy in the stack, an AWS public SSM parameter whose path names the architecture, or the
// `amiArchitectures` map a CI step fills from `aws ec2 describe-images`. Anything else is unknown, never guessed.
// docs/platform-facts.md, "EC2 AMIs and instance types", cites each fact.

import type { PolicyResource } from "@pulumi/policy";
import type { CpuArchitecture } from "./architecture";
import type { ConfigPropertySchema } from "./policyConfig";
import { EC2_AMI, EC2_AMI_COPY } from "./resourceTypes";
import { Known, asString, readPath } from "./unknowns";

/** What the pack knows about an AMI's architecture. */
export type AmiArchitecture =
    | { kind: "known"; architecture: CpuArchitecture; /** Where it was read, for messages. */ source: string }
    | { kind: "unknown"; reason: string };

/** The config of a policy that reads `amiArchitectures`. */
export interface AmiArchitecturesConfig {
    amiArchitectures?: Record<string, unknown>;
}

export const AMI_ARCHITECTURES_SCHEMA: ConfigPropertySchema = {
    type: "object",
    description:
        "AMI id to architecture, for AMIs the stack does not create: fill it from " +
        "`aws ec2 describe-images --image-ids <ids> --query 'Images[].[ImageId,Architecture]' --output text`.",
    additionalProperties: { type: "string", enum: ["x86_64", "arm64"] },
    default: {},
};

/**
 * AWS public SSM parameters whose path names the AMI's architecture. Only families whose path pattern AWS
 * documents are listed; any other path (including /aws/service/ami-amazon-linux-latest/…) is unknown.
 */
const SSM_PATH_ARCHITECTURES: readonly { pattern: RegExp; architecture: CpuArchitecture; family: string }[] = [
    // EKS user guide, "Retrieve recommended Amazon Linux AMI IDs": amazon-linux-2023/<x86_64|arm64>/<standard|nvidia|neuron>.
    {
        pattern:
            /^\/aws\/service\/eks\/optimized-ami\/[^/]+\/amazon-linux-2023\/x86_64\/[a-z]+\/recommended\/image_id$/,
        architecture: "x86_64",
        family: "EKS-optimized AL2023",
    },
    {
        pattern: /^\/aws\/service\/eks\/optimized-ami\/[^/]+\/amazon-linux-2023\/arm64\/[a-z]+\/recommended\/image_id$/,
        architecture: "arm64",
        family: "EKS-optimized AL2023",
    },
    // Same page: amazon-linux-2 and amazon-linux-2-gpu are x86 (GPU: "hardware-accelerated x86"), amazon-linux-2-arm64 is Arm.
    {
        pattern: /^\/aws\/service\/eks\/optimized-ami\/[^/]+\/amazon-linux-2(?:-gpu)?\/recommended\/image_id$/,
        architecture: "x86_64",
        family: "EKS-optimized AL2",
    },
    {
        pattern: /^\/aws\/service\/eks\/optimized-ami\/[^/]+\/amazon-linux-2-arm64\/recommended\/image_id$/,
        architecture: "arm64",
        family: "EKS-optimized AL2",
    },
    // EKS user guide, "Retrieve recommended Bottlerocket AMI IDs": aws-k8s-<version>[-flavor]/<x86_64|arm64>/latest/image_id.
    {
        pattern: /^\/aws\/service\/bottlerocket\/aws-k8s-[^/]+\/x86_64\/[^/]+\/image_id$/,
        architecture: "x86_64",
        family: "Bottlerocket for EKS",
    },
    {
        pattern: /^\/aws\/service\/bottlerocket\/aws-k8s-[^/]+\/arm64\/[^/]+\/image_id$/,
        architecture: "arm64",
        family: "Bottlerocket for EKS",
    },
    // ECS developer guide, "Retrieving Amazon ECS-optimized Linux AMI metadata": amazon-linux-2023/arm64/<version>, amazon-linux-2/arm64/<version>.
    {
        pattern: /^\/aws\/service\/ecs\/optimized-ami\/amazon-linux-(?:2023|2)\/arm64\/[^/]+(?:\/image_id)?$/,
        architecture: "arm64",
        family: "ECS-optimized Amazon Linux",
    },
];

/** The architecture an AWS public SSM parameter path names, or undefined when the pack does not recognise it. */
export function ssmParameterArchitecture(path: string): { architecture: CpuArchitecture; family: string } | undefined {
    // `resolve:ssm:<name>:<version>` pins a parameter version (Systems Manager user guide, parameter-store-ec2-aliases).
    const name = path.replace(/:[0-9]+$/, "");
    const match = SSM_PATH_ARCHITECTURES.find((entry) => entry.pattern.test(name));
    return match ? { architecture: match.architecture, family: match.family } : undefined;
}

const SSM_PREFIX = "resolve:ssm:";

function fromEc2Architecture(value: unknown): CpuArchitecture | undefined {
    return value === "x86_64" || value === "arm64" ? value : undefined;
}

function configuredArchitecture(config: AmiArchitecturesConfig, amiId: string): CpuArchitecture | undefined {
    const map = config.amiArchitectures;
    if (typeof map !== "object" || map === null || !Object.hasOwn(map, amiId)) {
        return undefined;
    }
    return fromEc2Architecture(map[amiId]);
}

/**
 * The architecture of an in-stack aws.ec2.Ami (its `architecture`, x86_64 when unset: @pulumi/aws ec2/ami.d.ts) or
 * AmiCopy (the source AMI's, read like any other image reference, else its own `architecture` output).
 */
function stackAmiArchitecture(
    ami: PolicyResource,
    stack: readonly PolicyResource[],
    config: AmiArchitecturesConfig,
    seen: Set<string>,
): AmiArchitecture {
    if (seen.has(ami.urn)) {
        return { kind: "unknown", reason: `AMI "${ami.name}" refers to itself` };
    }
    seen.add(ami.urn);
    if (ami.type === EC2_AMI) {
        const architecture = readPath(ami.props, "architecture");
        if (!architecture.known) {
            // An unknown without a property dependency is the provider's default (README, "What can be known").
            if ((ami.propertyDependencies["architecture"] ?? []).length > 0) {
                return { kind: "unknown", reason: `AMI "${ami.name}" architecture is not known until the update runs` };
            }
            return { kind: "known", architecture: "x86_64", source: `AMI "${ami.name}" (architecture unset: x86_64)` };
        }
        if (architecture.value === undefined || architecture.value === "") {
            return { kind: "known", architecture: "x86_64", source: `AMI "${ami.name}" (architecture unset: x86_64)` };
        }
        const cpu = fromEc2Architecture(architecture.value);
        return cpu
            ? { kind: "known", architecture: cpu, source: `AMI "${ami.name}" (${cpu})` }
            : { kind: "unknown", reason: `AMI "${ami.name}" has architecture ${String(architecture.value)}` };
    }
    const source = imageArchitecture(
        readPath(ami.props, "sourceAmiId"),
        ami.propertyDependencies["sourceAmiId"] ?? [],
        stack,
        config,
        seen,
    );
    if (source.kind === "known") {
        return {
            kind: "known",
            architecture: source.architecture,
            source: `AMI copy "${ami.name}" of ${source.source}`,
        };
    }
    const own = readPath(ami.props, "architecture");
    const cpu = own.known ? fromEc2Architecture(own.value) : undefined;
    return cpu
        ? { kind: "known", architecture: cpu, source: `AMI copy "${ami.name}" (${cpu})` }
        : { kind: "unknown", reason: `AMI copy "${ami.name}": ${source.reason}` };
}

const isStackAmi = (resource: PolicyResource) => resource.type === EC2_AMI || resource.type === EC2_AMI_COPY;

/**
 * The architecture of the AMI an image reference (`ami`, `imageId`, `sourceAmiId`) names. `dependencies` are the
 * resources the engine records the property came from (they still name an in-stack AMI in a first preview).
 */
export function imageArchitecture(
    reference: Known<unknown>,
    dependencies: readonly PolicyResource[],
    stack: readonly PolicyResource[],
    config: AmiArchitecturesConfig,
    seen: Set<string> = new Set(),
): AmiArchitecture {
    const amis = dependencies.filter(isStackAmi);
    if (amis.length === 1) {
        return stackAmiArchitecture(amis[0], stack, config, seen);
    }
    if (!reference.known) {
        return { kind: "unknown", reason: `the AMI (${reference.path}) is not known until the update runs` };
    }
    const value = asString(reference.value);
    if (value === undefined || value === "") {
        return { kind: "unknown", reason: "no AMI is set" };
    }
    if (value.startsWith(SSM_PREFIX)) {
        const path = value.slice(SSM_PREFIX.length);
        const named = ssmParameterArchitecture(path);
        return named
            ? {
                  kind: "known",
                  architecture: named.architecture,
                  source: `SSM parameter ${path} (${named.family}, ${named.architecture})`,
              }
            : {
                  kind: "unknown",
                  reason: `SSM parameter ${path} is not a public AMI parameter whose architecture the pack knows`,
              };
    }
    const byId = stack.find((resource) => {
        if (!isStackAmi(resource)) {
            return false;
        }
        const id = readPath(resource.props, "id");
        return id.known && id.value === value;
    });
    if (byId) {
        return stackAmiArchitecture(byId, stack, config, seen);
    }
    const configured = configuredArchitecture(config, value);
    if (configured) {
        return {
            kind: "known",
            architecture: configured,
            source: `AMI ${value} (${configured}, amiArchitectures config)`,
        };
    }
    return {
        kind: "unknown",
        reason: `AMI ${value} is not created in this stack, not a recognised public SSM parameter and not in the amiArchitectures config`,
    };
}
