import * as assert from "assert";
import { evaluate, evaluateBounded, ModelPolicy } from "./iamModel";

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

    it("looks condition keys up without case, the tag key in aws:RequestTag/<key> included", () => {
        assert.strictEqual(
            evaluate([policy], {
                action: "ecs:UpdateService",
                resource: service,
                context: { "AWS:resourcetag/Stack": "dev", "aws:ResourceTag/PROJECT": "p" },
            }),
            "allow",
        );
    });

    describe("the operators a Deny on foreign tags uses", () => {
        const denyForeign: ModelPolicy = {
            Statement: [
                { Effect: "Allow", Action: "ecs:TagResource", Resource: "*" },
                {
                    Effect: "Deny",
                    Action: "ecs:TagResource",
                    Resource: "*",
                    Condition: {
                        Null: { "aws:ResourceTag/stack": "false" },
                        StringNotEquals: { "aws:ResourceTag/stack": "dev" },
                    },
                },
            ],
        };
        const decide = (context: Record<string, string>) =>
            evaluate([denyForeign], { action: "ecs:TagResource", resource: "*", context });

        it("Null false needs the key, and StringNotEquals holds for any other value", () => {
            assert.strictEqual(decide({ "aws:ResourceTag/stack": "prod" }), "explicit-deny");
            assert.strictEqual(decide({ "aws:ResourceTag/stack": "dev" }), "allow");
        });

        it("a negated operator holds when the key is missing, Null false then does not", () => {
            assert.strictEqual(decide({}), "allow");
            const negatedOnly: ModelPolicy = {
                Statement: [
                    {
                        Effect: "Deny",
                        Action: "ecs:TagResource",
                        Resource: "*",
                        Condition: { StringNotEquals: { "aws:ResourceTag/stack": "dev" } },
                    },
                ],
            };
            assert.strictEqual(
                evaluate([negatedOnly], { action: "ecs:TagResource", resource: "*", context: {} }),
                "explicit-deny",
            );
        });

        it("Null true holds only when the key is missing", () => {
            const absent: ModelPolicy = {
                Statement: [
                    {
                        Effect: "Allow",
                        Action: "ecs:TagResource",
                        Resource: "*",
                        Condition: { Null: { "aws:ResourceTag/stack": "true" } },
                    },
                ],
            };
            const request = (context: Record<string, string>) => ({
                action: "ecs:TagResource",
                resource: "*",
                context,
            });
            assert.strictEqual(evaluate([absent], request({})), "allow");
            assert.strictEqual(evaluate([absent], request({ "aws:ResourceTag/stack": "dev" })), "implicit-deny");
        });
    });

    describe("multivalued keys (aws:TagKeys)", () => {
        const denyKeys: ModelPolicy = {
            Statement: [
                { Effect: "Allow", Action: "iam:UntagRole", Resource: "*" },
                {
                    Effect: "Deny",
                    Action: "iam:UntagRole",
                    Resource: "*",
                    Condition: { "ForAnyValue:StringEqualsIgnoreCase": { "aws:TagKeys": ["project", "stack"] } },
                },
            ],
        };
        const decide = (keys: string[] | undefined) =>
            evaluate([denyKeys], {
                action: "iam:UntagRole",
                resource: "*",
                context: keys === undefined ? {} : { "aws:TagKeys": keys },
            });

        it("ForAnyValue holds when one of the request's values matches, IgnoreCase without case", () => {
            assert.strictEqual(decide(["team", "Stack"]), "explicit-deny");
            assert.strictEqual(decide(["team"]), "allow");
        });

        it("ForAnyValue does not hold when the key is missing", () => {
            assert.strictEqual(decide(undefined), "allow");
        });

        it("ForAllValues holds when every request value matches, and when the key is missing", () => {
            const allNames: ModelPolicy = {
                Statement: [
                    {
                        Effect: "Allow",
                        Action: "acm:RequestCertificate",
                        Resource: "*",
                        Condition: { "ForAllValues:StringLike": { "acm:DomainNames": ["app.example.com", "_*.app"] } },
                    },
                ],
            };
            const request = (names: string[] | undefined) =>
                evaluate([allNames], {
                    action: "acm:RequestCertificate",
                    resource: "*",
                    context: names === undefined ? {} : { "acm:DomainNames": names },
                });
            assert.strictEqual(request(["app.example.com", "_x.app"]), "allow");
            assert.strictEqual(request(["app.example.com", "other.example.com"]), "implicit-deny");
            // Which is why the policies pair it with Null false.
            assert.strictEqual(request(undefined), "allow");
        });

        it("refuses a set qualifier it does not know", () => {
            const other: ModelPolicy = {
                Statement: [
                    {
                        Effect: "Allow",
                        Action: "iam:UntagRole",
                        Resource: "*",
                        Condition: { "ForSomeValues:StringEquals": { "aws:TagKeys": "stack" } },
                    },
                ],
            };
            assert.throws(
                () => evaluate([other], { action: "iam:UntagRole", resource: "*", context: {} }),
                /does not know condition operator ForSomeValues:StringEquals/,
            );
        });

        it("refuses a single-valued operator on a multivalued key", () => {
            const plain: ModelPolicy = {
                Statement: [
                    {
                        Effect: "Deny",
                        Action: "iam:UntagRole",
                        Resource: "*",
                        Condition: { StringEquals: { "aws:TagKeys": "stack" } },
                    },
                ],
            };
            assert.throws(
                () =>
                    evaluate([plain], {
                        action: "iam:UntagRole",
                        resource: "*",
                        context: { "aws:TagKeys": ["stack"] },
                    }),
                /does not evaluate StringEquals on a multivalued key/,
            );
        });
    });

    it("with a permissions boundary, allows only what both the identity policies and the boundary allow", () => {
        const admin: ModelPolicy = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
        const boundary: ModelPolicy = {
            Statement: [
                { Effect: "Allow", Action: ["logs:PutLogEvents", "s3:GetObject"], Resource: "*" },
                { Effect: "Deny", Action: "s3:GetObject", Resource: "*" },
            ],
        };
        const logsOnly: ModelPolicy = { Statement: [{ Effect: "Allow", Action: "logs:*", Resource: "*" }] };
        const request = (action: string) => ({ action, resource: "*", context: {} });
        assert.strictEqual(evaluateBounded([admin], boundary, request("logs:PutLogEvents")), "allow");
        assert.strictEqual(evaluateBounded([admin], boundary, request("iam:PutRolePolicy")), "implicit-deny");
        assert.strictEqual(evaluateBounded([admin], boundary, request("s3:GetObject")), "explicit-deny");
        assert.strictEqual(evaluateBounded([logsOnly], boundary, request("logs:PutLogEvents")), "allow");
        assert.strictEqual(evaluateBounded([], boundary, request("logs:PutLogEvents")), "implicit-deny");
    });
});
