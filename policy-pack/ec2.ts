// EC2 launch templates, Auto Scaling groups, instances, Spot requests and EC2 Fleets: each instance type must run the AMI
// it boots.
//
// Stack policies, because the instance type, the launch template and the AMI are often three resources, and only a
// stack policy sees them together. An AMI is built for one architecture, so instances of the other cannot boot it (Auto
// Scaling user guide, "Configure overrides": Arm and x86 instances in one group need a launch template each); in a
// group the failure shows only later, in scaling activities. Facts: docs/platform-facts.md, "EC2 AMIs and instance types".

import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { CPU_ARCHITECTURES } from "./architecture";
import type { CpuArchitecture } from "./architecture";
import { AMI_ARCHITECTURES_SCHEMA, AmiArchitecture, AmiArchitecturesConfig, imageArchitecture } from "./amis";
import { architecturesOf } from "./graviton";
import { EXEMPTION_HINT, violationMessage } from "./messages";
import { EXEMPTIONS_SCHEMA, ExemptionsConfig, exemptionFor } from "./policyConfig";
import type { ConfigPropertySchema } from "./policyConfig";
import {
    AUTOSCALING_GROUP,
    EC2_FLEET,
    EC2_INSTANCE,
    EC2_LAUNCH_TEMPLATE,
    EC2_SPOT_FLEET_REQUEST,
    EC2_SPOT_INSTANCE_REQUEST,
    NATIVE_AUTOSCALING_GROUP,
    NATIVE_EC2_FLEET,
    NATIVE_EC2_INSTANCE,
    NATIVE_EC2_LAUNCH_TEMPLATE,
    NATIVE_EC2_SPOT_FLEET,
} from "./resourceTypes";
import { Known, asString, readPath } from "./unknowns";

/** The resource types these policies judge. */
export const EC2_LAUNCH_TYPES: readonly string[] = [
    EC2_LAUNCH_TEMPLATE,
    NATIVE_EC2_LAUNCH_TEMPLATE,
    AUTOSCALING_GROUP,
    NATIVE_AUTOSCALING_GROUP,
    EC2_INSTANCE,
    NATIVE_EC2_INSTANCE,
    EC2_SPOT_INSTANCE_REQUEST,
    EC2_SPOT_FLEET_REQUEST,
    NATIVE_EC2_SPOT_FLEET,
    EC2_FLEET,
    NATIVE_EC2_FLEET,
];

// A Spot instance request takes an instance's `ami`, `instanceType` and `launchTemplate` (@pulumi/aws ec2/spotInstanceRequest.d.ts).
const INSTANCE_TYPES: readonly string[] = [EC2_INSTANCE, NATIVE_EC2_INSTANCE, EC2_SPOT_INSTANCE_REQUEST];
const SPOT_FLEET_TYPES: readonly string[] = [EC2_SPOT_FLEET_REQUEST, NATIVE_EC2_SPOT_FLEET];
// An EC2 Fleet has launch template configs only, with the same keys in both providers (@pulumi/aws types/input.d.ts
// FleetLaunchTemplateConfig; CloudFormation AWS::EC2::EC2Fleet FleetLaunchTemplateConfigRequest).
const EC2_FLEET_TYPES: readonly string[] = [EC2_FLEET, NATIVE_EC2_FLEET];
const FLEET_TYPES: readonly string[] = [...SPOT_FLEET_TYPES, ...EC2_FLEET_TYPES];

const TEMPLATE_TYPES: readonly string[] = [EC2_LAUNCH_TEMPLATE, NATIVE_EC2_LAUNCH_TEMPLATE];

/** The config of `ec2-ami-architecture-match`. */
export interface Ec2PolicyConfig extends ExemptionsConfig, AmiArchitecturesConfig {
    requireGraviton?: boolean;
}

const EC2_REQUIRE_GRAVITON_SCHEMA: ConfigPropertySchema = {
    type: "boolean",
    description:
        "When true, every launch template, Auto Scaling group, instance, Spot request and fleet must run arm64 (Graviton) instance types and AMIs.",
    default: false,
};

/** One path by which instances launch: instance type(s) and the AMI they boot. */
interface LaunchUnit {
    /** e.g. `override 2 (c7g.large)`, or "" for the resource itself. */
    label: string;
    instanceType: { known: true; value: string } | { known: false; reason: string };
    image: AmiArchitecture;
    /** The launch template the AMI comes from (URN), to group an Auto Scaling group's overrides by AMI. */
    imageKey: string;
    /** The fleet's launch template config the unit belongs to, e.g. `launch template config 2`. */
    config?: string;
}

/** What a resource's launch paths add up to. */
export type Ec2Finding =
    | { kind: "mismatch"; found: string; fix: string }
    | { kind: "undetermined"; reason: string }
    | { kind: "x86"; found: string };

export interface Ec2Assessment {
    resource: PolicyResource;
    subject: string;
    findings: Ec2Finding[];
}

type Reference = { id: Known<unknown>; name: Known<unknown> };

const isNative = (resource: PolicyResource) => resource.type.startsWith("aws-native:");

/**
 * Reads a property the provider computes when the program leaves it unset (`ami`, `instanceType` of an instance that
 * uses a launch template): an unknown with no property dependency is that default, judged as unset (README, "What can
 * be known at preview time").
 */
function readDefaulted(resource: PolicyResource, property: string): Known<unknown> {
    const value = readPath(resource.props, property);
    if (!value.known && (resource.propertyDependencies[property] ?? []).length === 0) {
        return { known: true, value: undefined };
    }
    return value;
}

function isSet(value: Known<unknown>): boolean {
    return !value.known || (typeof value.value === "string" && value.value !== "");
}

/** A launch template reference: aws uses `{ id, name }`, aws-native and ASG specifications `{ launchTemplateId, launchTemplateName }`. */
function referenceAt(root: unknown, path: (string | number)[], idKey: string, nameKey: string): Reference | undefined {
    const spec = readPath(root, ...path);
    if (spec.known && (spec.value === undefined || spec.value === null)) {
        return undefined;
    }
    return { id: readPath(root, ...path, idKey), name: readPath(root, ...path, nameKey) };
}

/** The length of a list that may hold unknowns deeper down (reading it whole would make all of it unknown). */
function listLength(root: unknown, ...path: (string | number)[]): Known<number> {
    const list = readPath(root, ...path);
    if (list.known) {
        return { known: true, value: Array.isArray(list.value) ? list.value.length : 0 };
    }
    const length = readPath(root, ...path, "length");
    if (!length.known) {
        return length;
    }
    return { known: true, value: typeof length.value === "number" ? length.value : 0 };
}

function templateId(template: PolicyResource): Known<unknown> {
    return isNative(template) ? readPath(template.props, "launchTemplateId") : readPath(template.props, "id");
}

function templateName(template: PolicyResource): Known<unknown> {
    return isNative(template) ? readPath(template.props, "launchTemplateName") : readPath(template.props, "name");
}

/**
 * The in-stack template a reference names: by id, by name, else (only while the reference names neither, as in a first
 * preview) the one template the property came from. A known id or name that matches nothing is a template from outside.
 */
function findTemplate(
    reference: Reference,
    sources: readonly PolicyResource[],
    stack: readonly PolicyResource[],
): PolicyResource | undefined {
    const templates = stack.filter((resource) => TEMPLATE_TYPES.includes(resource.type));
    const matchOn = (wanted: Known<unknown>, read: (template: PolicyResource) => Known<unknown>) => {
        const value = wanted.known ? asString(wanted.value) : undefined;
        if (value === undefined || value === "") {
            return undefined;
        }
        return templates.find((template) => {
            const candidate = read(template);
            return candidate.known && candidate.value === value;
        });
    };
    const byReference = matchOn(reference.id, templateId) ?? matchOn(reference.name, templateName);
    if (byReference) {
        return byReference;
    }
    if ([reference.id, reference.name].some((value) => value.known && isSet(value))) {
        return undefined; // the sources may hold another template of the same property (another config, the base)
    }
    const fromSources = sources.filter((resource) => TEMPLATE_TYPES.includes(resource.type));
    return fromSources.length === 1 ? fromSources[0] : undefined;
}

/** A launch template's own instance type and AMI (aws: top level; aws-native: under `launchTemplateData`). */
function templateFacts(
    template: PolicyResource,
    stack: readonly PolicyResource[],
    config: AmiArchitecturesConfig,
): { instanceType: Known<unknown>; imageId: Known<unknown>; image: AmiArchitecture } {
    const native = isNative(template);
    const path = native ? ["launchTemplateData"] : [];
    const instanceType = readPath(template.props, ...path, "instanceType");
    const imageId = readPath(template.props, ...path, "imageId");
    const sources = template.propertyDependencies[native ? "launchTemplateData" : "imageId"] ?? [];
    const image = isSet(imageId)
        ? imageArchitecture(imageId, sources, stack, config)
        : ({ kind: "unknown", reason: `launch template "${template.name}" sets no imageId` } as const);
    return { instanceType, imageId, image };
}

function knownType(value: Known<unknown>, owner: string): LaunchUnit["instanceType"] {
    if (!value.known) {
        return { known: false, reason: `${owner} instance type is not known until the update runs` };
    }
    const type = asString(value.value);
    return type === undefined || type === ""
        ? { known: false, reason: `${owner} names no instance type` }
        : { known: true, value: type };
}

/** The architectures EC2 reports for an instance type that Linux AMIs can be (x86_64, arm64). */
function linuxArchitectures(instanceType: string): readonly CpuArchitecture[] {
    const all = architecturesOf(instanceType) ?? [];
    return CPU_ARCHITECTURES.filter((arch) => all.includes(arch));
}

function judgeUnit(unit: LaunchUnit): Ec2Finding | { kind: "consistent"; architecture: CpuArchitecture } {
    const where = unit.label === "" ? "" : `${unit.label}: `;
    if (!unit.instanceType.known) {
        return { kind: "undetermined", reason: `${where}${unit.instanceType.reason}` };
    }
    const type = unit.instanceType.value;
    const archs = linuxArchitectures(type);
    if (unit.image.kind === "unknown") {
        return { kind: "undetermined", reason: `${where}${unit.image.reason}` };
    }
    if (archs.length === 0) {
        return { kind: "undetermined", reason: `${where}instance type ${type} is not a recognised EC2 instance type` };
    }
    const ami = unit.image.architecture;
    if (!archs.includes(ami)) {
        return {
            kind: "mismatch",
            found: `${where}instance type ${type} runs ${archs.join(" and ")} but the AMI is ${ami} (${unit.image.source})`,
            fix:
                ami === "arm64"
                    ? "use a Graviton instance type (for example m7g.large) with this AMI, or an x86_64 AMI"
                    : "use an arm64 AMI (for example the arm64 variant of the same SSM parameter) with this instance type, or an x86_64 instance type",
        };
    }
    return { kind: "consistent", architecture: ami };
}

/** Judges the units; an Auto Scaling group's units that share one AMI must also share one architecture. */
function judgeUnits(units: readonly LaunchUnit[]): Ec2Finding[] {
    const findings: Ec2Finding[] = [];
    for (const unit of units) {
        const verdict = judgeUnit(unit);
        if (verdict.kind !== "consistent") {
            findings.push(verdict);
        }
    }
    // One AMI serves every override that shares its launch template, so types of both architectures there cannot all
    // boot (Auto Scaling user guide, "Configure overrides": different architectures need a launch template each).
    const byImage = new Map<string, LaunchUnit[]>();
    for (const unit of units) {
        byImage.set(unit.imageKey, [...(byImage.get(unit.imageKey) ?? []), unit]);
    }
    for (const group of byImage.values()) {
        if (group[0].image.kind === "known") {
            continue; // each unit was compared with the known AMI above
        }
        const single = (arch: CpuArchitecture) =>
            group.flatMap((unit) => {
                if (!unit.instanceType.known) {
                    return [];
                }
                const archs = linuxArchitectures(unit.instanceType.value);
                return archs.length === 1 && archs[0] === arch ? [unit.instanceType.value] : [];
            });
        const arm = single("arm64");
        const x86 = single("x86_64");
        if (arm.length > 0 && x86.length > 0) {
            const { config } = group[0];
            findings.push({
                kind: "mismatch",
                found: `${config ? `${config}: ` : ""}overrides that boot the same AMI mix arm64 (${arm.join(", ")}) and x86_64 (${x86.join(", ")}) instance types, so one side cannot boot it`,
                fix: config
                    ? "move the overrides of the other architecture into a launch template config of their own, whose launch template has an AMI of that architecture"
                    : "give the overrides of the other architecture their own launchTemplateSpecification with an AMI of that architecture, or split the group",
            });
        }
    }
    return findings;
}

function x86Findings(units: readonly LaunchUnit[]): Ec2Finding[] {
    const types = units.flatMap((unit) => {
        if (!unit.instanceType.known) {
            return [];
        }
        const archs = linuxArchitectures(unit.instanceType.value);
        return archs.length > 0 && !archs.includes("arm64") ? [unit.instanceType.value] : [];
    });
    const images = units.flatMap((unit) =>
        unit.image.kind === "known" && unit.image.architecture === "x86_64" ? [unit.image.source] : [],
    );
    const parts = [
        ...(types.length > 0 ? [`x86_64 instance types (${[...new Set(types)].join(", ")})`] : []),
        ...(images.length > 0 ? [`an x86_64 AMI (${[...new Set(images)].join(", ")})`] : []),
    ];
    return parts.length > 0 ? [{ kind: "x86", found: `it launches ${parts.join(" and ")}` }] : [];
}

function unresolvedTemplate(reference: Reference): string {
    const name = reference.name.known ? asString(reference.name.value) : undefined;
    const id = reference.id.known ? asString(reference.id.value) : undefined;
    const label = name ?? id ?? "(not known yet)";
    return `its launch template ${label} is not in this stack (or not identifiable in this preview), so its instance type and AMI cannot be read`;
}

/** A launch template judged on its own: only when it sets both an instance type and an AMI. */
function launchTemplateUnits(
    template: PolicyResource,
    stack: readonly PolicyResource[],
    config: AmiArchitecturesConfig,
) {
    const facts = templateFacts(template, stack, config);
    if (!isSet(facts.instanceType) || !isSet(facts.imageId)) {
        return []; // what it leaves out comes from the instance, group or node group that uses it, judged there
    }
    return [
        {
            label: "",
            instanceType: knownType(facts.instanceType, "its"),
            image: facts.image,
            imageKey: template.urn,
        },
    ];
}

/** An instance: its own instance type and AMI, else its launch template's. */
function instanceUnits(
    instance: PolicyResource,
    stack: readonly PolicyResource[],
    config: AmiArchitecturesConfig,
): LaunchUnit[] | string {
    const native = isNative(instance);
    const imageProperty = native ? "imageId" : "ami";
    const ownType = readDefaulted(instance, "instanceType");
    const ownImage = readDefaulted(instance, imageProperty);
    const reference = native
        ? referenceAt(instance.props, ["launchTemplate"], "launchTemplateId", "launchTemplateName")
        : referenceAt(instance.props, ["launchTemplate"], "id", "name");
    const template = reference && findTemplate(reference, instance.propertyDependencies["launchTemplate"] ?? [], stack);
    const facts = template ? templateFacts(template, stack, config) : undefined;
    if (isSet(ownType) === false && isSet(ownImage) === false && facts) {
        return []; // both come from the template, which is judged on its own
    }
    if (reference && !template && (!isSet(ownType) || !isSet(ownImage))) {
        return unresolvedTemplate(reference);
    }
    const instanceType = isSet(ownType)
        ? knownType(ownType, "its")
        : knownType(facts?.instanceType ?? ownType, "its launch template's");
    const image = isSet(ownImage)
        ? imageArchitecture(ownImage, instance.propertyDependencies[imageProperty] ?? [], stack, config)
        : (facts?.image ?? { kind: "unknown", reason: "no AMI is set" });
    return [
        { label: "", instanceType, image, imageKey: isSet(ownImage) ? instance.urn : (template?.urn ?? instance.urn) },
    ];
}

/** An Auto Scaling group: its launch template, or each override of its mixed instances policy. */
function groupUnits(
    group: PolicyResource,
    stack: readonly PolicyResource[],
    config: AmiArchitecturesConfig,
): LaunchUnit[] | string {
    const native = isNative(group);
    const [idKey, nameKey] = native ? ["launchTemplateId", "launchTemplateName"] : ["id", "name"];
    const mixed = ["mixedInstancesPolicy", "launchTemplate"];
    const mixedSources = group.propertyDependencies["mixedInstancesPolicy"] ?? [];
    const direct = referenceAt(group.props, ["launchTemplate"], idKey, nameKey);
    const base =
        direct ??
        referenceAt(group.props, [...mixed, "launchTemplateSpecification"], "launchTemplateId", "launchTemplateName");
    const baseSources = direct ? (group.propertyDependencies["launchTemplate"] ?? []) : mixedSources;
    const baseTemplate = base && findTemplate(base, baseSources, stack);
    const overrides = listLength(group.props, ...mixed, "overrides");
    if (!overrides.known) {
        return "its mixedInstancesPolicy overrides are not known until the update runs";
    }
    const list = Array.from({ length: overrides.value });
    if (list.length === 0) {
        if (base === undefined) {
            return [];
        }
        // Instance type and AMI both come from the launch template, judged on its own when it is in the stack.
        return baseTemplate ? [] : unresolvedTemplate(base);
    }
    const units: LaunchUnit[] = [];
    list.forEach((_, index) => {
        const at = [...mixed, "overrides", index];
        const label = `override ${index + 1}`;
        const ownType = readPath(group.props, ...at, "instanceType");
        const requirements = readPath(group.props, ...at, "instanceRequirements");
        const spec = referenceAt(
            group.props,
            [...at, "launchTemplateSpecification"],
            "launchTemplateId",
            "launchTemplateName",
        );
        const reference = spec ?? base;
        const template = spec ? findTemplate(spec, mixedSources, stack) : baseTemplate;
        const facts = template ? templateFacts(template, stack, config) : undefined;
        const unresolved = reference && !template ? unresolvedTemplate(reference) : "no launch template is set";
        let instanceType: LaunchUnit["instanceType"];
        if (isSet(ownType)) {
            instanceType = knownType(ownType, "its");
        } else if (!requirements.known || (requirements.value !== undefined && requirements.value !== null)) {
            instanceType = { known: false, reason: "Auto Scaling picks its instance types from instanceRequirements" };
        } else {
            instanceType = facts
                ? knownType(facts.instanceType, "its launch template's")
                : { known: false, reason: unresolved };
        }
        const image: AmiArchitecture = facts?.image ?? { kind: "unknown", reason: unresolved };
        units.push({ label, instanceType, image, imageKey: template?.urn ?? (spec ? `unresolved:${index}` : "base") });
    });
    return units;
}

/**
 * A Spot Fleet or EC2 Fleet: each launch specification (Spot Fleet only; its own AMI and instance type) and each launch
 * template config, whose overrides boot that template's AMI (aws Spot Fleet: `launchSpecifications[] {ami}`,
 * `launchTemplateConfigs[] {launchTemplateSpecification {id, name}, overrides[]}`; aws-native Spot Fleet: the same under
 * `spotFleetRequestConfigData`, with `imageId` and `{launchTemplateId, launchTemplateName}`, CloudFormation
 * AWS::EC2::SpotFleet; EC2 Fleet, both providers: `launchTemplateConfigs[] {launchTemplateSpecification
 * {launchTemplateId, launchTemplateName}, overrides[] {instanceType, instanceRequirements}}`).
 */
function fleetUnits(
    fleet: PolicyResource,
    stack: readonly PolicyResource[],
    config: AmiArchitecturesConfig,
): LaunchUnit[] | string {
    const spot = SPOT_FLEET_TYPES.includes(fleet.type);
    const native = fleet.type === NATIVE_EC2_SPOT_FLEET;
    const root = native ? ["spotFleetRequestConfigData"] : [];
    const sources = fleet.propertyDependencies[native ? "spotFleetRequestConfigData" : "launchTemplateConfigs"] ?? [];
    const [idKey, nameKey] = spot && !native ? ["id", "name"] : ["launchTemplateId", "launchTemplateName"];
    const specifications: Known<number> = spot
        ? listLength(fleet.props, ...root, "launchSpecifications")
        : { known: true, value: 0 };
    const templateConfigs = listLength(fleet.props, ...root, "launchTemplateConfigs");
    if (!specifications.known || !templateConfigs.known) {
        return spot
            ? "its launch specifications are not known until the update runs"
            : "its launch template configs are not known until the update runs";
    }
    const units: LaunchUnit[] = [];
    const imageProperty = native ? "imageId" : "ami";
    Array.from({ length: specifications.value }).forEach((_, index) => {
        const at = [...root, "launchSpecifications", index];
        const imageSources = native ? sources : (fleet.propertyDependencies["launchSpecifications"] ?? []);
        const reference = readPath(fleet.props, ...at, imageProperty);
        units.push({
            label: `launch specification ${index + 1}`,
            instanceType: knownType(readPath(fleet.props, ...at, "instanceType"), "its"),
            // Several specifications may name several AMIs, so the recorded sources count only while this one is unknown.
            image: imageArchitecture(reference, reference.known ? [] : imageSources, stack, config),
            imageKey: `specification:${index}`,
        });
    });
    Array.from({ length: templateConfigs.value }).forEach((_, configIndex) => {
        const at = [...root, "launchTemplateConfigs", configIndex];
        const reference = referenceAt(fleet.props, [...at, "launchTemplateSpecification"], idKey, nameKey);
        const template = reference && findTemplate(reference, sources, stack);
        const facts = template ? templateFacts(template, stack, config) : undefined;
        const unresolved = reference ? unresolvedTemplate(reference) : "no launch template is set";
        const image: AmiArchitecture = facts?.image ?? { kind: "unknown", reason: unresolved };
        const configLabel = `launch template config ${configIndex + 1}`;
        const overrides = listLength(fleet.props, ...at, "overrides");
        const list = Array.from({ length: overrides.known ? overrides.value : 0 });
        if (!overrides.known) {
            units.push({
                label: configLabel,
                instanceType: { known: false, reason: "its overrides are not known until the update runs" },
                image,
                imageKey: `config:${configIndex}`,
            });
        }
        if (overrides.known && list.length === 0) {
            if (!template) {
                units.push({
                    label: configLabel,
                    instanceType: { known: false, reason: unresolved },
                    image,
                    imageKey: `config:${configIndex}`,
                });
            }
            return; // the template alone decides, judged on its own
        }
        // CreateFleet lets an `instant` fleet's override set its own ImageId, which neither provider exposes (@pulumi/aws
        // types/input.d.ts FleetLaunchTemplateConfigOverride, 34502-34531; CloudFormation AWS::EC2::EC2Fleet
        // FleetLaunchTemplateOverridesRequest), so a future `imageId` here must be read, not overruled by the template's AMI.
        list.forEach((_, index) => {
            const ownType = readPath(fleet.props, ...at, "overrides", index, "instanceType");
            const requirements = readPath(fleet.props, ...at, "overrides", index, "instanceRequirements");
            let instanceType: LaunchUnit["instanceType"];
            if (isSet(ownType)) {
                instanceType = knownType(ownType, "its");
            } else if (!requirements.known || (requirements.value !== undefined && requirements.value !== null)) {
                instanceType = { known: false, reason: "the fleet picks its instance types from instanceRequirements" };
            } else {
                instanceType = facts
                    ? knownType(facts.instanceType, "its launch template's")
                    : { known: false, reason: unresolved };
            }
            units.push({
                label: `${configLabel} override ${index + 1}`,
                instanceType,
                image,
                imageKey: `config:${configIndex}`,
                config: configLabel,
            });
        });
    });
    return units;
}

function subjectOf(resource: PolicyResource): string {
    if (TEMPLATE_TYPES.includes(resource.type)) {
        return `EC2 launch template "${resource.name}"`;
    }
    if (resource.type === AUTOSCALING_GROUP || resource.type === NATIVE_AUTOSCALING_GROUP) {
        return `Auto Scaling group "${resource.name}"`;
    }
    if (resource.type === EC2_SPOT_INSTANCE_REQUEST) {
        return `Spot instance request "${resource.name}"`;
    }
    if (SPOT_FLEET_TYPES.includes(resource.type)) {
        return `Spot Fleet "${resource.name}"`;
    }
    if (EC2_FLEET_TYPES.includes(resource.type)) {
        return `EC2 Fleet "${resource.name}"`;
    }
    return `EC2 instance "${resource.name}"`;
}

/** Every EC2 launch resource of the stack (EC2_LAUNCH_TYPES) with what its launch paths add up to. */
export function assessEc2Launches(
    stack: readonly PolicyResource[],
    config: Ec2PolicyConfig,
    requireGraviton = false,
): Ec2Assessment[] {
    return stack
        .filter((resource) => EC2_LAUNCH_TYPES.includes(resource.type))
        .map((resource) => {
            const units = TEMPLATE_TYPES.includes(resource.type)
                ? launchTemplateUnits(resource, stack, config)
                : INSTANCE_TYPES.includes(resource.type)
                  ? instanceUnits(resource, stack, config)
                  : FLEET_TYPES.includes(resource.type)
                    ? fleetUnits(resource, stack, config)
                    : groupUnits(resource, stack, config);
            const findings: Ec2Finding[] =
                typeof units === "string"
                    ? [{ kind: "undetermined", reason: units }]
                    : [...judgeUnits(units), ...(requireGraviton ? x86Findings(units) : [])];
            return { resource, subject: subjectOf(resource), findings };
        });
}

const notApplicable = `Policy only applies to stacks with ${EC2_LAUNCH_TYPES.join(", ")} resources`;

/**
 * Mandatory: an instance type and the AMI it boots that are of different architectures never make a running
 * instance. With `requireGraviton`, every known instance type and AMI must also be arm64.
 */
export const ec2AmiArchitectureMatch: StackValidationPolicy = {
    name: "ec2-ami-architecture-match",
    description:
        "EC2 launch templates, Auto Scaling groups, instances, Spot requests and EC2 Fleets must boot AMIs of their instance types' architecture (arm64 only, with requireGraviton).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requireGraviton: EC2_REQUIRE_GRAVITON_SCHEMA,
            exemptions: EXEMPTIONS_SCHEMA,
            amiArchitectures: AMI_ARCHITECTURES_SCHEMA,
        },
    },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const config = args.getConfig<Ec2PolicyConfig>();
        const assessments = assessEc2Launches(args.resources, config, config.requireGraviton === true);
        if (assessments.length === 0) {
            args.notApplicable(notApplicable);
        }
        for (const { resource, subject, findings } of assessments) {
            if (exemptionFor(config, resource.name)) {
                continue;
            }
            for (const finding of findings) {
                if (finding.kind === "mismatch") {
                    reportViolation(
                        violationMessage({
                            subject,
                            found: finding.found,
                            required: "an instance type and the AMI it boots must share one architecture",
                            fix: `${finding.fix}; ${EXEMPTION_HINT}`,
                        }),
                        resource.urn,
                    );
                } else if (finding.kind === "x86") {
                    reportViolation(
                        violationMessage({
                            subject,
                            found: finding.found,
                            required: "requireGraviton is set, so every instance type and AMI must be arm64",
                            fix: `use Graviton instance types (for example m7g.large or t4g.medium) with an arm64 AMI; ${EXEMPTION_HINT}`,
                        }),
                        resource.urn,
                    );
                }
            }
        }
    },
};

/**
 * Advisory: where an AMI or instance type cannot be known (an AMI from outside the stack, an unrecognised SSM
 * parameter or instance type, a launch template outside the stack, values not known during preview), this says so
 * rather than letting the resource pass silently.
 */
export const ec2AmiArchitectureUnknown: StackValidationPolicy = {
    name: "ec2-ami-architecture-unknown",
    description:
        "Reports EC2 launch templates, Auto Scaling groups, instances, Spot requests and EC2 Fleets whose AMI or instance type architecture cannot be verified.",
    enforcementLevel: "advisory",
    configSchema: { properties: { amiArchitectures: AMI_ARCHITECTURES_SCHEMA } },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const config = args.getConfig<Ec2PolicyConfig>();
        const assessments = assessEc2Launches(args.resources, config);
        if (assessments.length === 0) {
            args.notApplicable(notApplicable);
        }
        for (const { resource, subject, findings } of assessments) {
            const reasons = findings.flatMap((finding) => (finding.kind === "undetermined" ? [finding.reason] : []));
            if (reasons.length === 0) {
                continue;
            }
            reportViolation(
                violationMessage({
                    subject,
                    found: `its architecture cannot be verified: ${reasons.join("; ")}`,
                    required: "instance types and an AMI whose architectures ec2-ami-architecture-match can compare",
                    fix:
                        "create the AMI (aws.ec2.Ami or AmiCopy) or the launch template in this stack, reference an AWS public SSM " +
                        "parameter that names the architecture (resolve:ssm:/aws/service/eks/optimized-ami/.../arm64/...), or add the " +
                        "AMI id to amiArchitectures in the pack config (from aws ec2 describe-images)",
                }),
                resource.urn,
            );
        }
    },
};
