// Reading resource properties that may be unknown during `pulumi preview`.
//
// The engine hands policies `props` wrapped in @pulumi/policy's `unknownCheckingProxy`: reading a value that is
// not known yet (an output of a resource that does not exist yet) throws `UnknownValueError`. When a resource
// policy lets that error escape, the engine turns it into an advisory "can't run policy ... during preview"
// (node_modules/@pulumi/policy/server.js). A stack policy, however, would lose its verdict on every resource
// because of one unknown value, so stack policies read through `readPath` and decide per value.

import * as policyProxyModule from "@pulumi/policy/proxy";

/** The runtime shape of `@pulumi/policy/proxy`; its published .d.ts strips these `@internal` exports. */
interface PolicyProxyModule {
    unknownCheckingProxy<T extends object>(props: T): T;
    UnknownValueError: abstract new (...args: never[]) => Error;
    unknownBooleanValue: string;
    unknownNumberValue: string;
    unknownStringValue: string;
    unknownArrayValue: string;
    unknownObjectValue: string;
    unknownAssetValue: string;
    unknownArchiveValue: string;
}

// Imported from the same file the engine's server.js requires ("./proxy"), so `instanceof UnknownValueError`
// holds for the errors its proxy throws. The package root re-exports the same two functions since 1.21
// (pulumi/pulumi-policy#445), but loading the root also loads gRPC and @pulumi/pulumi (over a second).
const policyProxy = policyProxyModule as unknown as PolicyProxyModule;

/** Wraps props exactly as the engine does before calling a policy. */
export function unknownCheckingProxy<T extends object>(props: T): T {
    return policyProxy.unknownCheckingProxy(props);
}

/** True for the error the engine's proxy throws when a policy reads an unknown value. */
export function isUnknownValueError(error: unknown): error is Error {
    return error instanceof policyProxy.UnknownValueError;
}

/**
 * The sentinels the engine puts in place of unknown values (one per property kind). Tests and the
 * `evaluatePolicies` helper use them to describe a preview in which some outputs are not known yet.
 */
export const UNKNOWN: Readonly<
    Record<"boolean" | "number" | "string" | "array" | "object" | "asset" | "archive", string>
> = {
    boolean: policyProxy.unknownBooleanValue,
    number: policyProxy.unknownNumberValue,
    string: policyProxy.unknownStringValue,
    array: policyProxy.unknownArrayValue,
    object: policyProxy.unknownObjectValue,
    asset: policyProxy.unknownAssetValue,
    archive: policyProxy.unknownArchiveValue,
};

/** A property value that was either read in full or found to be unknown (not computed yet). */
export type Known<T> = { known: true; value: T } | { known: false; path: string; error: Error };

function isPlainContainer(value: unknown): value is Record<string, unknown> | unknown[] {
    if (Array.isArray(value)) {
        return true;
    }
    if (typeof value !== "object" || value === null) {
        return false;
    }
    const prototype: unknown = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null;
}

// Copies arrays and plain objects out of the proxy so that every nested unknown surfaces here,
// not later in code that believes the value is known. Other objects (assets, archives) are kept as is.
function copyOutOfProxy(value: unknown): unknown {
    if (!isPlainContainer(value)) {
        return value;
    }
    if (Array.isArray(value)) {
        // An index loop rather than map(): map() would read the proxied Array constructor (species).
        const items: unknown[] = [];
        for (let index = 0; index < value.length; index++) {
            items.push(copyOutOfProxy(value[index]));
        }
        return items;
    }
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
        copy[key] = copyOutOfProxy(value[key]);
    }
    return copy;
}

/**
 * Reads `root[path[0]][path[1]]...` as a plain value. A missing step yields `{ known: true, value: undefined }`;
 * an unknown value anywhere on the path or inside the result yields `{ known: false }`.
 * Other errors propagate: they are bugs, not previews.
 */
export function readPath(root: unknown, ...path: (string | number)[]): Known<unknown> {
    try {
        let current: unknown = root;
        for (const step of path) {
            if (typeof current !== "object" || current === null) {
                return { known: true, value: undefined };
            }
            current = (current as Record<string | number, unknown>)[step];
        }
        return { known: true, value: copyOutOfProxy(current) };
    } catch (error) {
        if (isUnknownValueError(error)) {
            return { known: false, path: path.join("."), error };
        }
        throw error;
    }
}

/**
 * The paths of the unknown values at or under `root[path[0]]...`, each as `a.b.0.c`; empty when all of it is known.
 * A policy that traces an unknown through the engine's property dependencies (recorded per top-level property only)
 * can trust the trace when the value it wants is the one unknown under that property.
 */
export function unknownPaths(root: unknown, ...path: (string | number)[]): string[] {
    if (readPath(root, ...path).known) {
        return [];
    }
    let container: unknown = root;
    try {
        for (const step of path) {
            container = (container as Record<string | number, unknown>)[step];
        }
    } catch (error) {
        if (isUnknownValueError(error)) {
            return [path.join(".")];
        }
        throw error;
    }
    // Known itself, so an object or array holding an unknown: the proxy lists its own keys without reading them.
    return Object.keys(container as object).flatMap((key) => unknownPaths(root, ...path, key));
}

/**
 * Returns the value, or rethrows the engine's own UnknownValueError so that the engine reports
 * "can't run policy ... during preview" as an advisory. For resource policies, whose value will be
 * known (and checked again) when the update runs.
 */
export function knownOrDeferToEngine(value: Known<unknown>): unknown {
    if (value.known) {
        return value.value;
    }
    throw value.error;
}

/** The value as a string, or undefined when it is not a string. */
export function asString(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** The value as an array of strings (non-strings dropped), or undefined when it is not an array. */
export function asStringArray(value: unknown): string[] | undefined {
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined;
}
