import * as pulumi from "@pulumi/pulumi";
import { isDigestPinned } from "../policy-pack/architecture";

/**
 * Passes an image reference through, failing unless it is pinned by digest (a tag can move
 * between preview and deploy, a digest cannot). A plain string is checked at once, so the
 * caller can check before registering anything; an Output when its value is known.
 */
export function requireDigestPinned(
    component: string,
    argument: string,
    ref: pulumi.Input<string>,
): pulumi.Output<string> {
    const check = (value: string) => {
        if (!isDigestPinned(value)) {
            throw new Error(
                `${component}: ${argument} must be pinned by digest (<repository>@sha256:<digest>); got "${value}"`,
            );
        }
        return value;
    };
    return typeof ref === "string" ? pulumi.output(check(ref)) : pulumi.output(ref).apply(check);
}
