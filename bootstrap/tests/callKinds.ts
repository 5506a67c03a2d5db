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

/** The stack tag the tests change: one of config's `tags`, never an ownership key. */
export const changedTag = { key: "team", value: "platform" } as const;

/**
 * A change of the stack's tags (config `tags`, all in the provider's default tags) on a resource of the stack that
 * exists: terraform-provider-aws's tags update (`updateTags` in `internal/service/<service>/tags_gen.go`, IAM's
 * `roleUpdateTags`) untags the keys that went and tags only the keys added or changed, so the resource carries the
 * stack's tags and the request names a tag other than `project` and `stack` (docs/platform-facts.md, "Scoping the
 * deploy role").
 */
export const retags = (tagAction: string, untagAction: string, resource: string): ProviderCall[] => [
    uses(tagAction, resource, {
        [`aws:RequestTag/${changedTag.key}`]: changedTag.value,
        "aws:TagKeys": [changedTag.key],
    }),
    uses(untagAction, resource, { "aws:TagKeys": [changedTag.key] }),
];

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
