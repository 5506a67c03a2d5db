// EKS managed node groups: instance types and AMI must agree on one architecture.
//
// Stack policies, because a node group may take its instance type from an `aws:ec2/launchTemplate` in the same
// stack, and only a stack policy sees both resources. Stack policies run when a preview completes
// (pulumi/docs#11508), and `pulumi up` previews first unless --skip-preview is given, so a mandatory violation
// stops the update before the node group is created.

import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { SUGGESTED_ARM64_AMI_TYPE, amiTypeArchitecture, instanceTypeArchitecture } from "./graviton";
import {
    NodeGroupArchitectureInput,
    NodeGroupArchitectureVerdict,
    nodeGroupArchitecture,
    nodeGroupInstanceTypes,
} from "./nodeGroups";
import { EXEMPTION_HINT, violationMessage } from "./messages";
import {
    EXEMPTIONS_SCHEMA,
    NodeGroupPolicyConfig,
    REQUIRE_GRAVITON_SCHEMA,
    exemptionFor,
    requireGraviton,
} from "./policyConfig";
import { EC2_LAUNCH_TEMPLATE, EKS_NODE_GROUP, NATIVE_EKS_NODE_GROUP } from "./resourceTypes";
import { Known, asString, asStringArray, readPath } from "./unknowns";
import { AMI_ARCHITECTURES_SCHEMA, AmiArchitecturesConfig, imageArchitecture } from "./amis";

/** A node group's architecture inputs, or why they cannot be read yet. */
type NodeGroupReading = { input: NodeGroupArchitectureInput } | { unknownReason: string };

function unknownDuringPreview(value: Known<unknown> & { known: false }, owner: string): { unknownReason: string } {
    return { unknownReason: `${owner} ${value.path} is not known until the update runs` };
}

/**
 * Finds the launch template a node group uses: by `launchTemplate.id`, then by `launchTemplate.name`, then by
 * the engine's record of which resource the `launchTemplate` input came from (which still works in a preview,
 * when a new template's id is unknown).
 */
function findLaunchTemplate(nodeGroup: PolicyResource, stack: readonly PolicyResource[]): PolicyResource | undefined {
    const templates = stack.filter((resource) => resource.type === EC2_LAUNCH_TEMPLATE);
    const wantedId = readPath(nodeGroup.props, "launchTemplate", "id");
    const wantedName = readPath(nodeGroup.props, "launchTemplate", "name");
    const matchOn = (wanted: Known<unknown>, property: string): PolicyResource | undefined => {
        const value = wanted.known ? asString(wanted.value) : undefined;
        if (value === undefined || value === "") {
            return undefined;
        }
        return templates.find((template) => {
            const candidate = readPath(template.props, property);
            return candidate.known && candidate.value === value;
        });
    };
    const byReference = matchOn(wantedId, "id") ?? matchOn(wantedName, "name");
    if (byReference) {
        return byReference;
    }
    const sources = (nodeGroup.propertyDependencies["launchTemplate"] ?? []).filter(
        (resource) => resource.type === EC2_LAUNCH_TEMPLATE,
    );
    return sources.length === 1 ? sources[0] : undefined;
}

function usesLaunchTemplate(nodeGroup: PolicyResource): boolean {
    const id = readPath(nodeGroup.props, "launchTemplate", "id");
    const name = readPath(nodeGroup.props, "launchTemplate", "name");
    // An unknown id or name is still a reference to a launch template.
    return !id.known || !name.known || id.value !== undefined || name.value !== undefined;
}

/** The node group types the policies judge: the classic provider's and the aws-native (Cloud Control) one. */
const NODE_GROUP_TYPES: readonly string[] = [EKS_NODE_GROUP, NATIVE_EKS_NODE_GROUP];

/**
 * Reads an attribute that the provider fills in when the program leaves it unset (Optional+Computed:
 * `amiType`, `instanceTypes`). In a first preview the provider plans such an attribute as unknown, and a stack
 * policy reads those planned outputs; an unknown with no entry in the engine's property dependencies did not
 * come from another resource, so it is the provider's default and is judged as unset (docs/platform-facts.md,
 * "Pulumi engine and policy packs"). An unknown that came from another resource's output stays unknown.
 */
function readDefaultedAttribute(nodeGroup: PolicyResource, property: string): Known<unknown> {
    const value = readPath(nodeGroup.props, property);
    if (!value.known && (nodeGroup.propertyDependencies[property] ?? []).length === 0) {
        return { known: true, value: undefined };
    }
    return value;
}

function readNodeGroup(
    nodeGroup: PolicyResource,
    stack: readonly PolicyResource[],
    config: AmiArchitecturesConfig,
): NodeGroupReading {
    const instanceTypes = readDefaultedAttribute(nodeGroup, "instanceTypes");
    if (!instanceTypes.known) {
        return unknownDuringPreview(instanceTypes, "node group");
    }
    const amiType = readDefaultedAttribute(nodeGroup, "amiType");
    if (!amiType.known) {
        return unknownDuringPreview(amiType, "node group");
    }
    const input: NodeGroupArchitectureInput = {
        instanceTypes: asStringArray(instanceTypes.value),
        amiType: asString(amiType.value),
    };
    if (!usesLaunchTemplate(nodeGroup)) {
        return { input };
    }
    const template = findLaunchTemplate(nodeGroup, stack);
    if (template === undefined) {
        return { input: { ...input, launchTemplate: "unresolved" } };
    }
    const templateInstanceType = readPath(template.props, "instanceType");
    if (!templateInstanceType.known) {
        return unknownDuringPreview(templateInstanceType, `launch template "${template.name}"`);
    }
    const imageId = readPath(template.props, "imageId");
    // An imageId that is not known yet is still set: the AMI then comes from the template either way.
    const setsImageId = !imageId.known || (typeof imageId.value === "string" && imageId.value !== "");
    // The same evaluator as the EC2 policies: an in-stack AMI, a documented AWS public SSM parameter, or the config.
    const image = setsImageId
        ? imageArchitecture(imageId, template.propertyDependencies["imageId"] ?? [], stack, config)
        : undefined;
    return {
        input: { ...input, launchTemplate: { instanceType: asString(templateInstanceType.value), setsImageId, image } },
    };
}

/** A node group with the verdict on its architecture. */
export interface NodeGroupAssessment {
    resource: PolicyResource;
    /** The inputs the verdict was based on; undefined when some were unknown. */
    input?: NodeGroupArchitectureInput;
    verdict: NodeGroupArchitectureVerdict;
    /**
     * The node group's own amiType when it is known and names an x86_64 AMI: then the node group cannot be
     * Graviton whatever its instance types turn out to be.
     */
    x86AmiType?: string;
}

function knownX86AmiType(nodeGroup: PolicyResource): string | undefined {
    const amiType = readDefaultedAttribute(nodeGroup, "amiType");
    const value = amiType.known ? asString(amiType.value) : undefined;
    // Unset is not counted here: with a launch template the AMI may come from the template (see graviton.ts).
    return value !== undefined && value !== "" && amiTypeArchitecture(value) === "x86_64" ? value : undefined;
}

/** The verdict for every EKS node group in the stack. */
export function assessNodeGroups(
    stack: readonly PolicyResource[],
    config: AmiArchitecturesConfig = {},
): NodeGroupAssessment[] {
    return stack
        .filter((resource) => NODE_GROUP_TYPES.includes(resource.type))
        .map((resource) => {
            const reading = readNodeGroup(resource, stack, config);
            const x86AmiType = knownX86AmiType(resource);
            if ("unknownReason" in reading) {
                return { resource, verdict: { kind: "undetermined", reason: reading.unknownReason }, x86AmiType };
            }
            return { resource, input: reading.input, verdict: nodeGroupArchitecture(reading.input), x86AmiType };
        });
}

/** Known x86_64 instance types of a node group, which `requireGraviton` rejects whatever its AMI. */
function x86InstanceTypes(input: NodeGroupArchitectureInput | undefined): string[] {
    const effective = input ? nodeGroupInstanceTypes(input) : undefined;
    return effective ? effective.instanceTypes.filter((type) => instanceTypeArchitecture(type) === "x86_64") : [];
}

/**
 * Mandatory: a node group whose AMI and instances disagree never gets healthy nodes (instances boot an AMI
 * they cannot execute), and the failure shows only after a long create. With `requireGraviton`, every
 * node group must also be arm64.
 */
export const eksNodeGroupArchitectureMatch: StackValidationPolicy = {
    name: "eks-nodegroup-architecture-match",
    description:
        "EKS node groups must use instance types and an AMI type of one architecture (arm64 only, with requireGraviton).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requireGraviton: REQUIRE_GRAVITON_SCHEMA,
            exemptions: EXEMPTIONS_SCHEMA,
            amiArchitectures: AMI_ARCHITECTURES_SCHEMA,
        },
    },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const config = args.getConfig<NodeGroupPolicyConfig & AmiArchitecturesConfig>();
        const assessments = assessNodeGroups(args.resources, config);
        if (assessments.length === 0) {
            args.notApplicable(`Policy only applies to stacks with ${NODE_GROUP_TYPES.join(" or ")} resources`);
        }
        for (const { resource, input, verdict, x86AmiType } of assessments) {
            if (exemptionFor(config, resource.name)) {
                continue;
            }
            const subject = `EKS node group "${resource.name}"`;
            if (verdict.kind === "mismatch") {
                reportViolation(
                    violationMessage({
                        subject,
                        found: verdict.found,
                        required: "the instance types and the AMI type of a node group must share one architecture",
                        fix: `${verdict.fix}; ${EXEMPTION_HINT}`,
                    }),
                    resource.urn,
                );
                continue;
            }
            const x86Types = x86InstanceTypes(input);
            // An x86_64 AMI type fails requireGraviton even while the instance types are unknown or unrecognised.
            const x86Found =
                x86Types.length > 0
                    ? `it runs x86_64 instance types (${x86Types.join(", ")})`
                    : x86AmiType !== undefined
                      ? `amiType ${x86AmiType} is x86_64, so its nodes cannot be Graviton whatever the instance types`
                      : undefined;
            if (requireGraviton(config) && x86Found !== undefined) {
                reportViolation(
                    violationMessage({
                        subject,
                        found: x86Found,
                        required: "requireGraviton is set, so every node group must be arm64",
                        fix: `use Graviton instance types (for example m7g.large or t4g.medium) with amiType ${SUGGESTED_ARM64_AMI_TYPE}; ${EXEMPTION_HINT}`,
                    }),
                    resource.urn,
                );
            }
        }
    },
};

/**
 * Advisory: where the architecture cannot be known (CUSTOM AMI, unrecognised instance type, launch template
 * outside the stack, values not known during preview) the mandatory policy cannot judge; this says so rather
 * than letting the node group pass silently.
 */
export const eksNodeGroupArchitectureUnknown: StackValidationPolicy = {
    name: "eks-nodegroup-architecture-unknown",
    description:
        "Reports EKS node groups whose architecture cannot be verified (CUSTOM AMI, unknown instance type, external launch template).",
    enforcementLevel: "advisory",
    configSchema: { properties: { amiArchitectures: AMI_ARCHITECTURES_SCHEMA } },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const assessments = assessNodeGroups(args.resources, args.getConfig<AmiArchitecturesConfig>());
        if (assessments.length === 0) {
            args.notApplicable(`Policy only applies to stacks with ${NODE_GROUP_TYPES.join(" or ")} resources`);
        }
        for (const { resource, verdict } of assessments) {
            if (verdict.kind !== "undetermined") {
                continue;
            }
            reportViolation(
                violationMessage({
                    subject: `EKS node group "${resource.name}"`,
                    found: `its architecture cannot be verified: ${verdict.reason}`,
                    required:
                        "instance types and an AMI whose architectures eks-nodegroup-architecture-match can compare",
                    fix:
                        "name recognised instanceTypes and an amiType other than CUSTOM on the node group, or create its launch " +
                        "template in this stack with an imageId the pack can read (an aws.ec2.Ami of the stack, an AWS public SSM " +
                        "parameter that names the architecture, or an AMI id listed in amiArchitectures); otherwise check by hand " +
                        "that the AMI matches the instance types",
                }),
                resource.urn,
            );
        }
    },
};
