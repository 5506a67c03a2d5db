/**
 * The AWS calls `pulumi up` and `pulumi destroy` make for each resource type graviton-multiarch registers, as
 * terraform-provider-aws (behind @pulumi/aws), awsx and docker-build make them. Kept apart from the policies it
 * checks: a resource type the program starts to register and this table lacks fails the tests.
 * Sources: docs/platform-facts.md, "Scoping the deploy role".
 */
import { ArnScope, CallKind, ProviderCall } from "./callKinds";
import { dnsCalls } from "./providerCallsDns";
import { kubernetesCalls } from "./providerCallsKubernetes";
import { monitoringCalls } from "./providerCallsMonitoring";
import { networkCalls } from "./providerCallsNetwork";
import { RoleOfRun, serviceCalls } from "./providerCallsServices";

export { ArnScope, CallKind, ProviderCall } from "./callKinds";

/** The child resource types awsx's Vpc creates for a new VPC (pulumi/pulumi-awsx, awsx/ec2/vpc.ts). */
export const awsxVpcChildTypes = [
    "aws:ec2/vpc:Vpc",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/eip:Eip",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/route:Route",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
];

/** The calls one resource of `type` leads to over its life, or undefined for a type this table does not know. */
export function providerCalls(
    type: string,
    name: string,
    inputs: Readonly<Record<string, unknown>>,
    scope: ArnScope,
    rolesById: ReadonlyMap<string, RoleOfRun> = new Map(),
): ProviderCall[] | undefined {
    return (
        networkCalls(type, name, scope) ??
        serviceCalls(type, name, inputs, scope, rolesById) ??
        dnsCalls(type, name, inputs, scope) ??
        kubernetesCalls(type, name, inputs, scope) ??
        monitoringCalls(type, name, inputs, scope)
    );
}

/** Resource types that make no AWS call of their own: providers and this program's components. */
function makesNoCalls(type: string, custom: boolean): boolean {
    return type.startsWith("pulumi:providers:") || (!custom && type !== "awsx:ec2:Vpc");
}

/**
 * Every call a run's resources lead to, with awsx's Vpc component replaced by the resources it creates, and the
 * resource types this table does not know (which a test must refuse).
 */
export function callsOfRun(
    resources: readonly {
        type: string;
        name: string;
        custom: boolean;
        inputs: Record<string, unknown>;
        id?: string;
        state?: Record<string, unknown>;
    }[],
    scope: ArnScope,
): { calls: (ProviderCall & { type: string })[]; unknownTypes: string[] } {
    // Inline policies name their role by the role's id, attachments by its name; the calls are authorized on the
    // role's ARN.
    const rolesById = new Map(
        resources
            .filter((resource) => resource.type === "aws:iam/role:Role" && resource.id !== undefined)
            .flatMap((resource): [string, RoleOfRun][] => {
                const role = {
                    arn: String(resource.state?.arn),
                    permissionsBoundary: resource.inputs.permissionsBoundary,
                };
                return [
                    [String(resource.id), role],
                    [String(resource.state?.name), role],
                ];
            }),
    );
    const calls: (ProviderCall & { type: string })[] = [];
    const unknownTypes = new Set<string>();
    for (const resource of resources) {
        if (makesNoCalls(resource.type, resource.custom)) {
            continue;
        }
        const types = resource.type === "awsx:ec2:Vpc" ? awsxVpcChildTypes : [resource.type];
        for (const type of types) {
            const found = providerCalls(type, resource.name, resource.inputs, scope, rolesById);
            if (found === undefined) {
                unknownTypes.add(type);
            } else {
                calls.push(...found.map((call) => ({ ...call, type })));
            }
        }
    }
    return { calls, unknownTypes: [...unknownTypes] };
}

/**
 * The request context IAM evaluates a call in: the tags the create request sends, or the tags the resource already
 * carries (the stack's provider default tags, here), the region the call goes to, and the call's own keys.
 */
export function contextOf(
    call: ProviderCall,
    tags: Readonly<Record<string, string>>,
    region: string,
): Record<string, string | readonly string[]> {
    const prefixes: Readonly<Record<CallKind, readonly string[]>> = {
        creates: ["aws:RequestTag"],
        createsIn: ["aws:RequestTag", "aws:ResourceTag"],
        uses: ["aws:ResourceTag"],
        untagged: [],
        unscoped: [],
    };
    const tagKeys = prefixes[call.kind].flatMap((prefix) =>
        Object.entries(tags).map(([key, value]) => [`${prefix}/${key}`, value]),
    );
    return { ...Object.fromEntries(tagKeys), "aws:RequestedRegion": region, ...call.extra };
}
