// What the invokes (data sources) the main program makes ask of AWS, for the CI role that runs them.

/** One request an invoke makes: a regional one is sent to the stack's region, an IAM one to IAM's global endpoint. */
export interface InvokeRequest {
    readonly action: string;
    /** The ARN the request is authorized on, `*` for actions without resource scope. */
    readonly resource: string;
    readonly regional: boolean;
}

/**
 * The requests of one invoke, or undefined for a token this table does not know (which a test must refuse): STS
 * answers GetCallerIdentity for any caller (STS API reference), the region and partition come from the provider's
 * config, the registry token is a real call, and `aws.iam.getSessionContext` reads the role the caller's session
 * belongs to, which in CI is the role itself (docs/platform-facts.md, "What a preview calls").
 */
export function invokeRequests(token: string, roleArn: string): InvokeRequest[] | undefined {
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
        case "aws:index/getRegion:getRegion":
        case "aws:index/getPartition:getPartition":
            return [];
        case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
            return [{ action: "ecr:GetAuthorizationToken", resource: "*", regional: true }];
        case "aws:iam/getSessionContext:getSessionContext":
            return [{ action: "iam:GetRole", resource: roleArn, regional: false }];
        default:
            return undefined;
    }
}
