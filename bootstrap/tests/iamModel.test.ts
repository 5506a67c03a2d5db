import * as assert from "assert";
import { evaluate, ModelPolicy } from "./iamModel";

// The model's rules, each against the behaviour the IAM User Guide documents (docs/platform-facts.md,
// "How the tests evaluate IAM policies"), so the policy tests below rest on something that behaves like IAM.
describe("IAM model", () => {
    const policy: ModelPolicy = {
        Statement: [
            {
                Effect: "Allow",
                Action: ["ecs:Describe*", "ecs:UpdateService"],
                Resource: ["arn:aws:ecs:us-east-1:123456789012:service/*"],
                Condition: {
                    StringEquals: { "aws:ResourceTag/stack": ["dev", "test"], "aws:ResourceTag/project": "p" },
                },
            },
            { Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: ["*"] },
        ],
    };
    const service = "arn:aws:ecs:us-east-1:123456789012:service/cluster/web";
    const tags = { "aws:ResourceTag/stack": "dev", "aws:ResourceTag/project": "p" };

    it("matches action names case-insensitively, with wildcards", () => {
        assert.strictEqual(
            evaluate([policy], { action: "ECS:describeservices", resource: service, context: tags }),
            "allow",
        );
        assert.strictEqual(
            evaluate([policy], { action: "ecs:DeleteService", resource: service, context: tags }),
            "implicit-deny",
        );
    });

    it("matches resources case-sensitively", () => {
        const upper = service.replace("service/", "Service/");
        assert.strictEqual(
            evaluate([policy], { action: "ecs:UpdateService", resource: upper, context: tags }),
            "implicit-deny",
        );
    });

    it("needs every condition key (AND) and one of a key's values (OR)", () => {
        assert.strictEqual(
            evaluate([policy], {
                action: "ecs:UpdateService",
                resource: service,
                context: { ...tags, "aws:ResourceTag/stack": "test" },
            }),
            "allow",
        );
        assert.strictEqual(
            evaluate([policy], {
                action: "ecs:UpdateService",
                resource: service,
                context: { ...tags, "aws:ResourceTag/project": "q" },
            }),
            "implicit-deny",
        );
    });

    it("treats a condition key missing from the request as not matching", () => {
        assert.strictEqual(
            evaluate([policy], {
                action: "ecs:UpdateService",
                resource: service,
                context: { "aws:ResourceTag/project": "p" },
            }),
            "implicit-deny",
        );
    });

    it("compares StringEquals values exactly, case included", () => {
        assert.strictEqual(
            evaluate([policy], {
                action: "ecs:UpdateService",
                resource: service,
                context: { ...tags, "aws:ResourceTag/stack": "Dev" },
            }),
            "implicit-deny",
        );
    });

    it("makes a request without resource scope on *, which only a * resource matches", () => {
        assert.strictEqual(
            evaluate([policy], { action: "ecr:GetAuthorizationToken", resource: "*", context: {} }),
            "allow",
        );
        assert.strictEqual(
            evaluate([policy], { action: "ecs:UpdateService", resource: "*", context: tags }),
            "implicit-deny",
        );
    });

    it("lets an explicit Deny win over an Allow", () => {
        const deny: ModelPolicy = { Statement: [{ Effect: "Deny", Action: "ecs:*", Resource: "*" }] };
        assert.strictEqual(
            evaluate([policy, deny], { action: "ecs:UpdateService", resource: service, context: tags }),
            "explicit-deny",
        );
    });

    it("refuses to evaluate a condition operator it does not model", () => {
        const other: ModelPolicy = {
            Statement: [
                {
                    Effect: "Allow",
                    Action: "s3:GetObject",
                    Resource: "*",
                    Condition: { ArnLike: { "aws:SourceArn": "x" } },
                },
            ],
        };
        assert.throws(
            () => evaluate([other], { action: "s3:GetObject", resource: "*", context: {} }),
            /does not know condition operator ArnLike/,
        );
    });
});
