import * as assert from "node:assert/strict";
import { evaluatePolicies, hasMandatoryViolations } from "./run";
import { EKS_NODE_GROUP, LAMBDA_FUNCTION } from "../resourceTypes";
import { lambdaArm64Only } from "../lambda";
import { eksNodeGroupArchitectureMatch } from "../eks";
import {
    PolicyNotApplicable,
    UNKNOWN,
    defaultUrn,
    resource,
    resourceValidationArgs,
    stackValidationArgs,
} from "./args";

const armLambda = resource(LAMBDA_FUNCTION, "api-fn", { architectures: ["arm64"], packageType: "Zip" });
const x86Lambda = resource(LAMBDA_FUNCTION, "legacy-fn", { packageType: "Zip" });

describe("engine-like validation arguments", () => {
    it("wrap props so that reading an unknown value throws, as in a preview", () => {
        const args = resourceValidationArgs(
            { type: LAMBDA_FUNCTION, name: "fn", props: { architectures: UNKNOWN.array } },
            lambdaArm64Only,
        );
        assert.throws(() => args.props.architectures, /can't be known during preview/);
    });

    it("give getConfig the schema defaults under the policy's own section, without enforcementLevel", () => {
        const snapshot = resource(EKS_NODE_GROUP, "nodes", {});
        const defaults = stackValidationArgs([snapshot], eksNodeGroupArchitectureMatch).getConfig<
            Record<string, unknown>
        >();
        assert.deepEqual(defaults, { requireGraviton: false, exemptions: [], amiArchitectures: {} });
        const configured = stackValidationArgs([snapshot], eksNodeGroupArchitectureMatch, {
            config: { "eks-nodegroup-architecture-match": { enforcementLevel: "advisory", requireGraviton: true } },
        }).getConfig<Record<string, unknown>>();
        assert.deepEqual(configured, { requireGraviton: true, exemptions: [], amiArchitectures: {} });
    });

    it("make notApplicable throw a recognisable sentinel", () => {
        const args = resourceValidationArgs({ type: LAMBDA_FUNCTION, name: "fn", props: {} }, lambdaArm64Only);
        assert.throws(
            () => args.notApplicable("because"),
            (error: unknown) => error instanceof PolicyNotApplicable && error.reason === "because",
        );
    });

    it("answer isType and asType by the class's Pulumi type token", () => {
        const args = resourceValidationArgs(
            { type: LAMBDA_FUNCTION, name: "fn", props: { packageType: "Zip" } },
            lambdaArm64Only,
        );
        class FakeFunction {
            static readonly __pulumiType = LAMBDA_FUNCTION;
        }
        class FakeBucket {
            static readonly __pulumiType = "aws:s3/bucket:Bucket";
        }
        assert.equal(args.isType(FakeFunction as never), true);
        assert.equal(args.isType(FakeBucket as never), false);
        assert.equal(args.asType(FakeBucket as never), undefined);
        assert.equal(args.urn, defaultUrn(LAMBDA_FUNCTION, "fn"));
        assert.equal(args.stackTags.size, 0);
    });

    it("link stack resources' property dependencies by URN", () => {
        const template = resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", {});
        const group = resource(EKS_NODE_GROUP, "nodes", {}, { launchTemplate: [template] });
        const args = stackValidationArgs([template, group], eksNodeGroupArchitectureMatch);
        const linked = args.resources[1].propertyDependencies["launchTemplate"];
        assert.equal(linked.length, 1);
        assert.equal(linked[0], args.resources[0]);
        assert.deepEqual(args.resources[1].dependencies, [args.resources[0]]);
    });
});

describe("evaluatePolicies", () => {
    it("returns nothing for a compliant stack", async () => {
        assert.deepEqual(await evaluatePolicies([armLambda]), []);
    });

    it("returns each violation with its policy name, enforcement level and resource URN", async () => {
        const violations = await evaluatePolicies([armLambda, x86Lambda]);
        assert.equal(violations.length, 1);
        assert.equal(violations[0].policyName, "lambda-arm64-only");
        assert.equal(violations[0].enforcementLevel, "mandatory");
        assert.equal(violations[0].urn, x86Lambda.urn);
        assert.ok(hasMandatoryViolations(violations));
    });

    it("applies enforcement levels from the pack config, including disabled", async () => {
        const advisory = await evaluatePolicies([x86Lambda], { config: { "lambda-arm64-only": "advisory" } });
        assert.equal(advisory[0].enforcementLevel, "advisory");
        assert.equal(hasMandatoryViolations(advisory), false);
        assert.deepEqual(
            await evaluatePolicies([x86Lambda], { config: { "lambda-arm64-only": { enforcementLevel: "disabled" } } }),
            [],
        );
    });

    it("passes each policy its own config (exemptions)", async () => {
        const config = {
            "lambda-arm64-only": { exemptions: [{ resourceName: "legacy-fn", reason: "vendor library is x86 only" }] },
        };
        assert.deepEqual(await evaluatePolicies([x86Lambda], { config }), []);
    });

    it("runs stack policies once over all resources", async () => {
        const group = resource(EKS_NODE_GROUP, "nodes", { instanceTypes: ["m7g.large"] });
        const violations = await evaluatePolicies([armLambda, group]);
        assert.deepEqual(
            violations.map((v) => v.policyName),
            ["eks-nodegroup-architecture-match"],
        );
        assert.equal(violations[0].urn, group.urn);
    });

    it("turns an unknown value into the engine's advisory instead of failing", async () => {
        const previewLambda = resource(LAMBDA_FUNCTION, "preview-fn", { architectures: UNKNOWN.array });
        const violations = await evaluatePolicies([previewLambda]);
        assert.equal(violations.length, 1);
        assert.equal(violations[0].enforcementLevel, "advisory");
        assert.match(violations[0].message, /can't run policy 'lambda-arm64-only' .*during preview/);
    });
});
