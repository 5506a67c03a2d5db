/** IAM policy documents as plain data, so the program, the tests and the README print the same JSON. */

/** Condition operator to condition key to the value (or any of the values) it must have. */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface Statement {
    readonly Sid: string;
    readonly Effect: "Allow" | "Deny";
    readonly Action: readonly string[];
    readonly Resource: readonly string[];
    readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly Statement[];
}

/** A role's permissions, one managed policy each (a managed policy holds at most 6,144 characters). */
export interface NamedPolicy {
    /** Short, stable name: the policy resource's name and its description. */
    readonly name: string;
    readonly description: string;
    readonly document: PolicyDocument;
}

export function policyDocument(statements: readonly (Statement | undefined)[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: statements.filter((statement): statement is Statement => statement !== undefined),
    };
}

/** The account, partition and region a role's permissions are scoped to. */
export interface AccountScope {
    readonly partition: string;
    readonly account: string;
    readonly region: string;
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`; IAM, S3 and Route 53 ARNs leave out what they lack. */
export function arn(scope: AccountScope, service: string, resource: string): string {
    switch (service) {
        case "iam":
            return `arn:${scope.partition}:iam::${scope.account}:${resource}`;
        case "s3":
        case "route53":
            return `arn:${scope.partition}:${service}:::${resource}`;
        default:
            return `arn:${scope.partition}:${service}:${scope.region}:${scope.account}:${resource}`;
    }
}

/** IAM counts a policy's size in characters without white space (docs/platform-facts.md, "IAM policy limits"). */
export function policySize(document: object): number {
    return JSON.stringify(document).replace(/\s/g, "").length;
}

/** Managed policy size limit, and how many managed policies a role takes by default. */
export const managedPolicyMaxCharacters = 6144;
export const managedPoliciesPerRole = 10;
