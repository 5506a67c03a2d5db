// lambda-capacity-provider-architecture-match and -unknown, in process. The pack's model of Lambda Managed Instances
// follows docs/platform-facts.md, "Lambda Managed Instances": one architecture per capacity provider, read only from
// instanceRequirements.architectures (no reference gives an unset provider's), and a function bound to it must have
// that architecture.

import * as assert from "node:assert/strict";
import {
    lambdaCapacityProviderArchitectureMatch,
    lambdaCapacityProviderArchitectureUnknown,
} from "../lambdaCapacityProviders";
import {
    LAMBDA_CAPACITY_PROVIDER,
    LAMBDA_FUNCTION,
    NATIVE_LAMBDA_CAPACITY_PROVIDER,
    NATIVE_LAMBDA_FUNCTION,
} from "../resourceTypes";
import { ResourceSnapshot, UNKNOWN, resource, runStackPolicy } from "./args";

const PROVIDER_ARN = "arn:aws:lambda:us-east-1:123456789012:capacity-provider:workers";
const OUTSIDE_ARN = "arn:aws:lambda:us-east-1:123456789012:capacity-provider:shared";

// A stack that passes: an arm64 provider and an arm64 function bound to it. Each case changes one property.
const provider = (
    requirements: Record<string, unknown> | null = { architectures: ["arm64"] },
    type = LAMBDA_CAPACITY_PROVIDER,
) =>
    resource(type, "workers", {
        arn: PROVIDER_ARN,
        // aws: a one-item list; aws-native: an object.
        instanceRequirements:
            requirements === null ? undefined : type === LAMBDA_CAPACITY_PROVIDER ? [requirements] : requirements,
    });
const boundFunction = (
    props: Record<string, unknown> = {},
    dependsOn: Record<string, ResourceSnapshot[]> = {},
    type = LAMBDA_FUNCTION,
) =>
    resource(
        type,
        "worker-fn",
        {
            architectures: ["arm64"],
            capacityProviderConfig: {
                lambdaManagedInstancesCapacityProviderConfig: { capacityProviderArn: PROVIDER_ARN },
            },
            ...props,
        },
        dependsOn,
    );
const boundTo = (capacityProviderArn: unknown) => ({
    capacityProviderConfig: { lambdaManagedInstancesCapacityProviderConfig: { capacityProviderArn } },
});

describe("policy lambda-capacity-provider-architecture-match", () => {
    it("passes an arm64 function on an arm64 capacity provider", async () => {
        const result = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
            resources: [provider(), boundFunction()],
        });
        assert.deepEqual(result.violations, []);
        assert.equal(result.notApplicable, false);
    });

    it("rejects an arm64 function on an x86_64 capacity provider, on the function, with found, required and fix", async () => {
        const result = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
            resources: [provider({ architectures: ["x86_64"] }), boundFunction()],
        });
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /^Lambda function "worker-fn": it runs on arm64, but its capacity provider "workers" launches x86_64 instances \(instanceRequirements\.architectures \["x86_64"\]\)\. Required: .*Fix: set the function's architectures to \["x86_64"\].*or bind it to a capacity provider whose instanceRequirements\.architectures is \["arm64"\]/,
        );
        assert.equal(result.urns[0], boundFunction().urn);
    });

    it("rejects an x86_64 function (architectures unset) on an arm64 capacity provider", async () => {
        const result = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
            resources: [provider(), boundFunction({ architectures: undefined })],
        });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /it runs on x86_64, but its capacity provider "workers" launches arm64/);
    });

    it("never blocks on a provider without architectures: no default, and allowed instance types do not choose it", async () => {
        for (const type of [LAMBDA_CAPACITY_PROVIDER, NATIVE_LAMBDA_CAPACITY_PROVIDER]) {
            for (const requirements of [
                null,
                { allowedInstanceTypes: ["c6i.2xlarge", "c7i.2xlarge"] },
                { allowedInstanceTypes: ["m7g.large", "c8g.xlarge"] },
            ]) {
                for (const fn of [boundFunction(), boundFunction({ architectures: ["x86_64"] })]) {
                    const result = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
                        resources: [provider(requirements, type), fn],
                        config: { requireGraviton: true },
                    });
                    assert.deepEqual(result.violations, [], `${type} ${JSON.stringify(requirements)}`);
                }
            }
        }
    });

    it("rejects a capacity provider whose allowed instance types cannot run its architectures, on the provider", async () => {
        const result = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
            resources: [provider({ architectures: ["arm64"], allowedInstanceTypes: ["m7g.large", "c6i.2xlarge"] })],
        });
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /^Lambda capacity provider "workers": its allowedInstanceTypes c6i\.2xlarge cannot run arm64/,
        );
        assert.equal(result.urns[0], provider().urn);
    });

    it("judges the aws-native function and capacity provider (instanceRequirements an object) the same way", async () => {
        const bad = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
            resources: [
                provider({ architectures: ["x86_64"] }, NATIVE_LAMBDA_CAPACITY_PROVIDER),
                boundFunction({}, {}, NATIVE_LAMBDA_FUNCTION),
            ],
        });
        assert.equal(bad.violations.length, 1);
        const good = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
            resources: [
                provider({ architectures: ["x86_64"] }, NATIVE_LAMBDA_CAPACITY_PROVIDER),
                boundFunction({ architectures: ["x86_64"] }, {}, NATIVE_LAMBDA_FUNCTION),
            ],
        });
        assert.deepEqual(good.violations, []);
    });

    it("traces an unknown capacity provider ARN (a first preview) to the provider it was computed from", async () => {
        const planned = resource(LAMBDA_CAPACITY_PROVIDER, "workers", {
            arn: UNKNOWN.string,
            instanceRequirements: [{ architectures: ["x86_64"] }],
        });
        const result = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
            resources: [planned, boundFunction(boundTo(UNKNOWN.string), { capacityProviderConfig: [planned] })],
        });
        assert.equal(result.violations.length, 1);
    });

    it("does not block what it cannot know: a provider outside the stack", async () => {
        const result = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
            resources: [provider({ architectures: ["x86_64"] }), boundFunction(boundTo(OUTSIDE_ARN))],
        });
        assert.deepEqual(result.violations, []);
    });

    it("honours an exemption of the function, and of the provider", async () => {
        const result = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
            resources: [provider({ architectures: ["x86_64"] }), boundFunction()],
            config: { exemptions: [{ resourceName: "worker-fn", reason: "x86-only native library" }] },
        });
        assert.deepEqual(result.violations, []);
        const graviton = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
            resources: [provider({ architectures: ["x86_64"] })],
            config: { requireGraviton: true, exemptions: [{ resourceName: "workers", reason: "legacy fleet" }] },
        });
        assert.deepEqual(graviton.violations, []);
    });

    it("with requireGraviton, rejects an x86_64 capacity provider and passes an arm64 one", async () => {
        const result = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
            resources: [provider({ architectures: ["x86_64"] })],
            config: { requireGraviton: true },
        });
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /^Lambda capacity provider "workers": it launches x86_64 instances .*Required: requireGraviton is set.*Fix: set instanceRequirements\.architectures to \["arm64"\]/,
        );
        const arm = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
            resources: [provider(), boundFunction()],
            config: { requireGraviton: true },
        });
        assert.deepEqual(arm.violations, []);
        const off = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
            resources: [provider({ architectures: ["x86_64"] })],
        });
        assert.deepEqual(off.violations, []);
    });

    it("is not applicable to a stack without capacity providers or functions bound to one", async () => {
        const result = await runStackPolicy(lambdaCapacityProviderArchitectureMatch, {
            resources: [resource(LAMBDA_FUNCTION, "api-fn", { architectures: ["arm64"] })],
        });
        assert.equal(result.notApplicable, true);
    });
});

describe("policy lambda-capacity-provider-architecture-unknown", () => {
    it("reports a function bound to a capacity provider outside the stack, naming its ARN", async () => {
        const result = await runStackPolicy(lambdaCapacityProviderArchitectureUnknown, {
            resources: [boundFunction(boundTo(OUTSIDE_ARN))],
        });
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            new RegExp(
                `^Lambda function "worker-fn": the architecture of its capacity provider cannot be compared .*capacity provider ${OUTSIDE_ARN} is not a capacity provider of this stack`,
            ),
        );
    });

    it("reports an unknown ARN with no capacity provider behind it", async () => {
        const untraced = await runStackPolicy(lambdaCapacityProviderArchitectureUnknown, {
            resources: [boundFunction(boundTo(UNKNOWN.string))],
        });
        assert.equal(untraced.violations.length, 1);
        assert.match(untraced.violations[0], /not known until the update runs and comes from no capacity provider/);
    });

    it("reports a provider without architectures, with or without allowed instance types, for both tokens", async () => {
        const planned = resource(LAMBDA_CAPACITY_PROVIDER, "workers", {
            arn: PROVIDER_ARN,
            instanceRequirements: UNKNOWN.array,
        });
        for (const stack of [
            [provider(null, NATIVE_LAMBDA_CAPACITY_PROVIDER), boundFunction({}, {}, NATIVE_LAMBDA_FUNCTION)],
            [provider({ allowedInstanceTypes: ["m7g.large"] }, NATIVE_LAMBDA_CAPACITY_PROVIDER), boundFunction()],
            // The aws provider's plan for an unset block in a first preview: unknown, with no property dependency.
            [planned, boundFunction()],
        ]) {
            const result = await runStackPolicy(lambdaCapacityProviderArchitectureUnknown, { resources: stack });
            assert.equal(result.violations.length, 1, JSON.stringify(stack[0].props));
            assert.match(
                result.violations[0],
                /^Lambda function "worker-fn": .*capacity provider "workers" sets no instanceRequirements\.architectures/,
            );
        }
    });

    it("says nothing when the match policy can judge, or the function has no capacity provider", async () => {
        for (const resources of [
            [provider(), boundFunction()],
            [provider({ architectures: ["x86_64"] }), boundFunction()],
            [provider(), resource(LAMBDA_FUNCTION, "api-fn", { architectures: ["arm64"] })],
        ]) {
            const result = await runStackPolicy(lambdaCapacityProviderArchitectureUnknown, { resources });
            assert.deepEqual(result.violations, []);
        }
    });

    it("with requireGraviton, reports a capacity provider whose architecture cannot be read", async () => {
        const stack = [provider({ allowedInstanceTypes: ["m7g.large"] })];
        const result = await runStackPolicy(lambdaCapacityProviderArchitectureUnknown, {
            resources: stack,
            config: { requireGraviton: true },
        });
        assert.equal(result.violations.length, 1);
        assert.match(result.violations[0], /^Lambda capacity provider "workers": its architecture cannot be read/);
        const off = await runStackPolicy(lambdaCapacityProviderArchitectureUnknown, { resources: stack });
        assert.deepEqual(off.violations, []);
    });
});
