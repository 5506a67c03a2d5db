import { rolePathFor, ServiceRoleKind } from "../../components/iam";
import { StackDomain } from "../config";
import { AccountScope, arn, ConditionBlock, Statement } from "./document";

/** One stack of the main program: the account and region it lives in and the tags its provider puts on everything. */
export interface StackScope extends AccountScope {
    /** The `project` tag graviton-multiarch's provider sets on every resource. */
    readonly project: string;
    /** The `stack` tag: the stack name. */
    readonly stack: string;
}

/** One GitHub Actions role's policies: the stack they work on and the role they are attached to. */
export interface RoleScope extends StackScope {
    /** The role itself, which reads its own definition when the program asks whose session it runs in. */
    readonly roleArn: string;
}

/** A stack whose deploy role creates its roles only within a permissions boundary the bootstrap made for it. */
export interface DeployScope extends RoleScope {
    /** The managed policy every role of the stack must have as its permissions boundary. */
    readonly permissionsBoundaryArn: string;
    /** The domain and hosted zone the stack may request a certificate for and write records in, if any. */
    readonly domain?: StackDomain;
}

/** The tag keys index.ts puts in its provider's default tags, so every resource the program creates carries them. */
export const ownershipTagKeys = ["project", "stack"] as const;

function tagValues(scope: StackScope): Record<(typeof ownershipTagKeys)[number], string> {
    return { project: scope.project, stack: scope.stack };
}

/** The request creates (or tags) a resource with this stack's ownership tags. */
export function createsTagged(scope: StackScope, extra: Record<string, string | string[]> = {}): ConditionBlock {
    const tags = tagValues(scope);
    return {
        StringEquals: {
            ...Object.fromEntries(ownershipTagKeys.map((key) => [`aws:RequestTag/${key}`, tags[key]])),
            ...extra,
        },
    };
}

/** The resource already carries this stack's ownership tags. */
export function taggedForStack(scope: StackScope, extra: Record<string, string | string[]> = {}): ConditionBlock {
    const tags = tagValues(scope);
    return {
        StringEquals: {
            ...Object.fromEntries(ownershipTagKeys.map((key) => [`aws:ResourceTag/${key}`, tags[key]])),
            ...extra,
        },
    };
}

/** For actions that take no resource scope: at least keep them to the stack's region. */
export function inRegion(scope: AccountScope, extra: Record<string, string | string[]> = {}): ConditionBlock {
    return { StringEquals: { "aws:RequestedRegion": scope.region, ...extra } };
}

/**
 * The roles of the stack: the components give every role the path `/<project>/<stack>/`, a service role of `kind`
 * `/<project>/<stack>/<kind>/` (components/iam.ts). Without a kind the pattern covers the service roles too.
 */
export function stackRoles(scope: StackScope, kind?: ServiceRoleKind): string {
    return arn(scope, "iam", `role${rolePathFor(scope.project, scope.stack, kind)}*`);
}

/**
 * The tagging actions of the services the program uses, each with its untagging action. Each also tags or untags a
 * resource that already exists, whatever its tags, so an Allow meant for tagging on create would let a role claim
 * a resource by tagging it.
 */
export const tagActionPairs: readonly (readonly [tag: string, untag: string])[] = [
    ["acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"],
    ["application-autoscaling:TagResource", "application-autoscaling:UntagResource"],
    ["apprunner:TagResource", "apprunner:UntagResource"],
    ["cloudwatch:TagResource", "cloudwatch:UntagResource"],
    ["ec2:CreateTags", "ec2:DeleteTags"],
    ["ecr:TagResource", "ecr:UntagResource"],
    ["ecs:TagResource", "ecs:UntagResource"],
    ["eks:TagResource", "eks:UntagResource"],
    ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
    ["iam:TagRole", "iam:UntagRole"],
    ["lambda:TagResource", "lambda:UntagResource"],
    ["logs:TagLogGroup", "logs:UntagLogGroup"],
    ["logs:TagResource", "logs:UntagResource"],
    ["sns:TagResource", "sns:UntagResource"],
];
export const tagActions = tagActionPairs.map(([tag]) => tag);
export const untagActions = tagActionPairs.map(([, untag]) => untag);

/** Creates that overwrite a resource of the same name, tags included, where one exists (CloudWatch PutMetricAlarm). */
export const overwritingCreates = ["cloudwatch:PutMetricAlarm"];

/**
 * Explicit denies that keep the ownership tags where they are, whatever an Allow says: no tagging (or overwriting)
 * of a resource that carries another project or stack, no request tags naming another one, no removing the
 * ownership tags (docs/platform-facts.md, "Scoping the deploy role").
 */
export function ownershipTagGuards(scope: StackScope): Statement[] {
    const tags = tagValues(scope);
    const title = (key: string) => key[0].toUpperCase() + key.slice(1);
    const differs = (prefix: string, key: (typeof ownershipTagKeys)[number]): ConditionBlock => ({
        Null: { [`${prefix}/${key}`]: "false" },
        StringNotEquals: { [`${prefix}/${key}`]: tags[key] },
    });
    return [
        ...ownershipTagKeys.map((key): Statement => ({
            Sid: `NoTagChangesOnAnother${title(key)}`,
            Effect: "Deny",
            Action: [...tagActions, ...untagActions, ...overwritingCreates],
            Resource: ["*"],
            Condition: differs("aws:ResourceTag", key),
        })),
        ...ownershipTagKeys.map((key): Statement => ({
            Sid: `NoTagsNamingAnother${title(key)}`,
            Effect: "Deny",
            Action: tagActions,
            Resource: ["*"],
            Condition: differs("aws:RequestTag", key),
        })),
        {
            // IAM tag keys ignore case, so STACK would remove stack.
            Sid: "NoRemovingOwnershipTags",
            Effect: "Deny",
            Action: untagActions,
            Resource: ["*"],
            Condition: { "ForAnyValue:StringEqualsIgnoreCase": { "aws:TagKeys": [...ownershipTagKeys] } },
        },
    ];
}
