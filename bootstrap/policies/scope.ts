import { AccountScope, ConditionBlock } from "./document";

/** One stack of the main program: the account and region it lives in and the tags its provider puts on everything. */
export interface StackScope extends AccountScope {
    /** The `project` tag graviton-multiarch's provider sets on every resource. */
    readonly project: string;
    /** The `stack` tag: the stack name. */
    readonly stack: string;
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
