import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { projectName } from "./project";

/** One `Allow` statement: exact actions on the listed resources. */
export interface Grant {
    readonly actions: readonly string[];
    readonly resources: readonly pulumi.Input<string>[];
}

/**
 * The IAM path of a stack's roles, `/graviton-multiarch/<stack>/`: the bootstrap's deploy role may touch roles
 * under its own stack's path only (docs/platform-facts.md, "Scoping the deploy role").
 */
export function rolePathFor(project: string, stack: string): string {
    return `/${project}/${stack}/`;
}

/** The path of the current stack's roles. A role's path cannot change in place: a new path replaces the role. */
export function rolePath(): string {
    return rolePathFor(projectName, pulumi.getStack());
}

/**
 * An IAM managed policy's ARN, `arn:<partition>:iam::<account or aws>:policy/<path><name>` (IAM identifiers: a
 * name of up to 128 letters, digits and `+=,.@_-`, a path of printable characters between slashes).
 */
export const managedPolicyArnPattern =
    /^arn:aws(-[a-z]+)*:iam::(\d{12}|aws):policy\/([\x21-\x7e]+\/)?[\w+=,.@-]{1,128}$/;

/** Throws when a known (plain string) permissions boundary is not a managed policy's ARN. */
export function requirePolicyArn(component: string, argument: string, value: pulumi.Input<string> | undefined): void {
    if (typeof value === "string" && !managedPolicyArnPattern.test(value)) {
        throw new Error(
            `${component}: ${argument} must be an IAM managed policy ARN like arn:aws:iam::123456789012:policy/boundary; got ${value}`,
        );
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
