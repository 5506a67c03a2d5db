/**
 * How the tests describe one AWS call: the IAM action it is authorized as (Service Authorization Reference), the
 * resource it is authorized on and how IAM sees that resource. Sources: docs/platform-facts.md, "Scoping the
 * deploy role".
 */

/**
 * How IAM sees the call: creating a resource with the stack's tags, creating one inside an existing resource of the
 * stack and authorized on that one (an EKS node group in its cluster: both the request's and the parent's tags), on
 * an existing resource of the stack (which carries them), on a resource that carries none (a service-linked role,
 * an alarm, AWS's key, a hosted zone), or without scope.
 */
export type CallKind = "creates" | "createsIn" | "uses" | "untagged" | "unscoped";

/** Context keys of a call besides tags and region; multivalued keys (acm:DomainNames) hold a list. */
export type CallContext = Readonly<Record<string, string | readonly string[]>>;

export interface ProviderCall {
    readonly action: string;
    readonly kind: CallKind;
    /** The ARN the call is authorized on (`*` for unscoped calls). */
    readonly resource: string;
    /** Context keys besides tags and region, e.g. the service a role is passed to. */
    readonly extra?: CallContext;
}

export interface ArnScope {
    readonly account: string;
    readonly region: string;
}

export const creates = (action: string, resource: string, extra?: CallContext): ProviderCall => ({
    action,
    kind: "creates",
    resource,
    extra,
});
export const createsIn = (action: string, parent: string, extra?: CallContext): ProviderCall => ({
    action,
    kind: "createsIn",
    resource: parent,
    extra,
});
export const uses = (action: string, resource: string, extra?: CallContext): ProviderCall => ({
    action,
    kind: "uses",
    resource,
    extra,
});
export const untagged = (action: string, resource: string, extra?: CallContext): ProviderCall => ({
    action,
    kind: "untagged",
    resource,
    extra,
});
export const unscoped = (...actions: string[]): ProviderCall[] =>
    actions.map((action) => ({ action, kind: "unscoped", resource: "*" }));

export function arns(scope: ArnScope) {
    const regional = (service: string, resource: string) =>
        `arn:aws:${service}:${scope.region}:${scope.account}:${resource}`;
    const role = (roleName: string) => `arn:aws:iam::${scope.account}:role/${roleName}`;
    return {
        regional,
        role,
        serviceLinkedRole: (servicePrincipal: string, roleName: string) =>
            untagged("iam:CreateServiceLinkedRole", role(`aws-service-role/${servicePrincipal}/${roleName}`), {
                "iam:AWSServiceName": servicePrincipal,
            }),
    };
}
