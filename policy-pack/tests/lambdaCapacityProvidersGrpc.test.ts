// lambdaCapacityProviders.ts over the Analyzer gRPC protocol, for both tokens: a first-preview shape (the provider's
// ARN unknown, traced through the function's property dependencies; an unset instanceRequirements planned as unknown,
// reported and never judged) and an update shape (every ARN known), with requireGraviton as packConfig() writes it.

import * as assert from "node:assert/strict";
import {
    AnalysisResult,
    EngineResource,
    PackConfigFile,
    PolicyPackSession,
    UNKNOWN,
} from "../../harness/policyAnalyzer";
import { projectName } from "../../tests/harness";
import { packConfig } from "../policies";
import { engineResource, urn } from "./engine";
import { packSession } from "./sessions";

const TOKENS = [
    { fn: "aws:lambda/function:Function", provider: "aws:lambda/capacityProvider:CapacityProvider" },
    { fn: "aws-native:lambda:Function", provider: "aws-native:lambda:CapacityProvider" },
] as const;
type Tokens = (typeof TOKENS)[number];
const PROVIDER_ARN = "arn:aws:lambda:us-east-1:123456789012:capacity-provider:workers";
const OUTSIDE_ARN = "arn:aws:lambda:us-east-1:123456789012:capacity-provider:shared";

type Shape = "preview" | "update";

/** A capacity provider; `architecture` undefined leaves instanceRequirements unset (planned unknown on aws in a preview). */
function provider(shape: Shape, tokens: Tokens, architecture?: "x86_64" | "arm64"): EngineResource {
    const classic = tokens.provider.startsWith("aws:");
    const requirements = architecture === undefined ? undefined : { architectures: [architecture] };
    const instanceRequirements =
        requirements === undefined
            ? shape === "preview" && classic
                ? UNKNOWN
                : undefined
            : classic
              ? [requirements]
              : requirements;
    return engineResource(tokens.provider, "workers", {
        arn: shape === "update" ? PROVIDER_ARN : UNKNOWN,
        ...(instanceRequirements === undefined ? {} : { instanceRequirements }),
    });
}

/** A function bound to the stack's provider (its ARN unknown in a preview) or to one from elsewhere; architectures unset means x86_64. */
function boundFunction(
    shape: Shape,
    tokens: Tokens,
    architecture?: "arm64",
    which: "stack" | "outside" = "stack",
): EngineResource {
    const capacityProviderArn = which === "outside" ? OUTSIDE_ARN : shape === "update" ? PROVIDER_ARN : UNKNOWN;
    return engineResource(
        tokens.fn,
        "worker-fn",
        {
            // Unset: absent from the inputs, planned unknown (Optional+Computed) by the aws provider in a preview.
            ...(architecture !== undefined
                ? { architectures: [architecture] }
                : shape === "preview" && tokens.fn.startsWith("aws:")
                  ? { architectures: UNKNOWN }
                  : {}),
            capacityProviderConfig: { lambdaManagedInstancesCapacityProviderConfig: { capacityProviderArn } },
        },
        which === "stack" ? { capacityProviderConfig: [urn(tokens.provider, "workers")] } : {},
    );
}

const ours = (result: AnalysisResult, policy: string) =>
    result.diagnostics.filter((diagnostic) => diagnostic.policyName === policy);
const MATCH = "lambda-capacity-provider-architecture-match";
const UNKNOWN_POLICY = "lambda-capacity-provider-architecture-unknown";

describe("Lambda Managed Instances capacity providers over the Analyzer gRPC protocol", function () {
    this.timeout(60000);
    const sessions = {} as Record<Shape, PolicyPackSession>;

    before(async () => {
        const context = { project: projectName, stack: "dev" };
        const graviton = { config: packConfig({ requireGraviton: true }) as PackConfigFile };
        [sessions.preview, sessions.update] = await Promise.all([
            packSession({ ...context, dryRun: true }, graviton),
            packSession({ ...context, dryRun: false }, graviton),
        ]);
    });

    for (const shape of ["preview", "update"] as const) {
        for (const tokens of TOKENS) {
            describe(`${tokens.provider} as ${shape === "preview" ? "a first preview" : "an update"}`, () => {
                it(`${MATCH}: blocks an x86_64 function on an arm64 capacity provider, and passes an arm64 one`, async () => {
                    const bad = await sessions[shape].analyzeStack([
                        provider(shape, tokens, "arm64"),
                        boundFunction(shape, tokens),
                    ]);
                    const [violation, ...others] = ours(bad, MATCH);
                    assert.deepEqual(others, []);
                    assert.equal(violation?.enforcementLevel, "mandatory");
                    assert.match(
                        violation.message,
                        /Lambda function "worker-fn": it runs on x86_64, but its capacity provider "workers" launches arm64 instances/,
                    );
                    assert.match(violation.urn ?? "", /worker-fn$/);
                    assert.deepEqual(ours(bad, UNKNOWN_POLICY), []);
                    const good = await sessions[shape].analyzeStack([
                        provider(shape, tokens, "arm64"),
                        boundFunction(shape, tokens, "arm64"),
                    ]);
                    assert.deepEqual(ours(good, MATCH), []);
                    assert.deepEqual(ours(good, UNKNOWN_POLICY), []);
                });

                it(`${UNKNOWN_POLICY} with requireGraviton: a capacity provider without architectures is advisory, never mandatory`, async () => {
                    const unset = provider(shape, tokens);
                    // aws-native takes instanceRequirements without architectures; Arm-only allowed types do not set it.
                    const allowedOnly = engineResource(tokens.provider, "workers", {
                        ...unset.properties,
                        instanceRequirements: { allowedInstanceTypes: ["m7g.large", "c8g.xlarge"] },
                    });
                    const providers = tokens.provider.startsWith("aws-native:") ? [unset, allowedOnly] : [unset];
                    for (const candidate of providers) {
                        const result = await sessions[shape].analyzeStack([
                            candidate,
                            boundFunction(shape, tokens, "arm64"),
                        ]);
                        assert.deepEqual(ours(result, MATCH), []);
                        const advisories = ours(result, UNKNOWN_POLICY);
                        assert.deepEqual(
                            advisories.map((d) => [d.enforcementLevel, d.urn?.split("::").pop()]),
                            [
                                ["advisory", "worker-fn"],
                                ["advisory", "workers"],
                            ],
                        );
                        assert.match(advisories[0].message, /sets no instanceRequirements\.architectures/);
                    }
                });

                it(`${UNKNOWN_POLICY}: a capacity provider from outside the stack is advisory, never mandatory`, async () => {
                    const result = await sessions[shape].analyzeStack([
                        provider(shape, tokens, "arm64"),
                        boundFunction(shape, tokens, "arm64", "outside"),
                    ]);
                    assert.deepEqual(ours(result, MATCH), []);
                    const [advisory, ...others] = ours(result, UNKNOWN_POLICY);
                    assert.deepEqual(others, []);
                    assert.equal(advisory?.enforcementLevel, "advisory");
                    assert.match(
                        advisory.message,
                        new RegExp(`capacity provider ${OUTSIDE_ARN} is not a capacity provider of this stack`),
                    );
                });
            });
        }
    }
});
