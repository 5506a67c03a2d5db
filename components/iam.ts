import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { projectName } from "./project";
import { checkArguments, matching } from "./rules";

/** One `Allow` statement: exact actions on the listed resources. */
export interface Grant {
    readonly actions: readonly string[];
    readonly resources: readonly pulumi.Input<string>[];
}

/**
 * Roles an AWS service assumes to build infrastructure for the stack (load balancers, security groups, network
 * interfaces), each carrying one AWS managed policy. Each lives under its own sub-path of the stack's role path and,
 * with a boundary, is bounded by that same policy: no policy put on it can grant more, and the deploy role passes it
 * to that one service only (docs/platform-facts.md, "Service roles under the boundary").
 */
export const serviceRoleKinds = {
    "ecs-infrastructure": {
        service: "ecs.amazonaws.com",
        policy: "service-role/AmazonECSInfrastructureRoleforExpressGatewayServices",
    },
    "eks-cluster": { service: "eks.amazonaws.com", policy: "AmazonEKSClusterPolicy" },
} as const;
export type ServiceRoleKind = keyof typeof serviceRoleKinds;

/**
 * The IAM path of a stack's roles, `/graviton-multiarch/<stack>/` (a service role's one level deeper): the
 * bootstrap's deploy role may touch roles under its own stack's path only (docs/platform-facts.md, "Scoping the
 * deploy role").
 */
export function rolePathFor(project: string, stack: string, kind?: ServiceRoleKind): string {
    return kind === undefined ? `/${project}/${stack}/` : `/${project}/${stack}/${kind}/`;
}

/** The path of the current stack's roles. A role's path cannot change in place: a new path replaces the role. */
export function rolePath(kind?: ServiceRoleKind): string {
    return rolePathFor(projectName, pulumi.getStack(), kind);
}

/** An AWS managed policy's ARN in the provider's partition, e.g. `arn:aws:iam::aws:policy/AmazonEKSClusterPolicy`. */
export function awsManagedPolicyArn(partition: pulumi.Input<string>, policy: string): pulumi.Output<string> {
    return pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`;
}

/**
 * A service role of `kind` and its one AWS managed policy. When the stack's roles are bounded, its boundary is that
 * policy, so the role can do exactly what AWS's policy grants (docs/platform-facts.md, "Service roles under the
 * boundary").
 */
export function serviceRoleOfKind(
    name: string,
    kind: ServiceRoleKind,
    partition: pulumi.Input<string>,
    bounded: boolean,
    parent: pulumi.Resource,
): { role: aws.iam.Role; policy: aws.iam.RolePolicyAttachment } {
    const { service, policy } = serviceRoleKinds[kind];
    const policyArn = awsManagedPolicyArn(partition, policy);
    const role = new aws.iam.Role(
        name,
        {
            assumeRolePolicy: trustPolicyFor(service),
            path: rolePath(kind),
            permissionsBoundary: bounded ? policyArn : undefined,
        },
        { parent },
    );
    const attachment = new aws.iam.RolePolicyAttachment(name, { role: role.name, policyArn }, { parent });
    return { role, policy: attachment };
}

/**
 * An IAM managed policy's ARN, `arn:<partition>:iam::<account or aws>:policy/<path><name>` (IAM identifiers: a
 * name of up to 128 letters, digits and `+=,.@_-`, a path of printable characters between slashes).
 */
export const managedPolicyArnPattern =
    /^arn:aws(-[a-z]+)*:iam::(\d{12}|aws):policy\/([\x21-\x7e]+\/)?[\w+=,.@-]{1,128}$/;

/** A permissions boundary: the ARN of an IAM managed policy. */
export const policyArn = matching(
    managedPolicyArnPattern,
    "expected the ARN of an IAM managed policy, like the bootstrap's permissionsBoundaryArn output: arn:aws:iam::123456789012:policy/<name>",
);

/** Throws when a known (plain string) permissions boundary is not a managed policy's ARN. */
export function requirePolicyArn(component: string, argument: string, value: pulumi.Input<string> | undefined): void {
    if (typeof value === "string") {
        checkArguments(component, { [argument]: policyArn }, { [argument]: value });
    }
}

/**
 * A role one AWS service assumes, under the stack's role path and, when given one, within a permissions boundary:
 * the most any of its policies can grant (docs/platform-facts.md, "Scoping the deploy role").
 */
export function serviceRoleArgs(
    servicePrincipal: string,
    permissionsBoundaryArn: pulumi.Input<string> | undefined,
): aws.iam.RoleArgs {
    return {
        assumeRolePolicy: trustPolicyFor(servicePrincipal),
        path: rolePath(),
        permissionsBoundary: permissionsBoundaryArn,
    };
}

/** A role trust policy that lets exactly one AWS service assume the role. */
export function trustPolicyFor(servicePrincipal: string): pulumi.Output<string> {
    const document: aws.iam.PolicyDocument = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: servicePrincipal }, Action: "sts:AssumeRole" }],
    };
    return pulumi.jsonStringify(document);
}

/** An identity policy built only from explicit grants, so every action is spelled out. */
export function policyFor(grants: readonly Grant[]): pulumi.Output<string> {
    const document: aws.iam.PolicyDocument = {
        Version: "2012-10-17",
        Statement: grants.map((grant) => ({
            Effect: "Allow",
            Action: [...grant.actions],
            Resource: [...grant.resources],
        })),
    };
    return pulumi.jsonStringify(document);
}

/** Pull rights on one repository; `ecr:GetAuthorizationToken` has no resource scope, so AWS requires `*` for it. */
export function ecrPullGrants(repositoryArn: pulumi.Input<string>): Grant[] {
    return [
        { actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
        {
            actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            resources: [repositoryArn],
        },
    ];
}

/** Writing to one log group's streams. */
export function logWriteGrant(logGroupArn: pulumi.Input<string>): Grant {
    return {
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [pulumi.interpolate`${logGroupArn}:*`],
    };
}
