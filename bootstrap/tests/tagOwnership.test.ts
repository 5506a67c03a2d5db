// Tags as ownership: a deploy role cannot claim another stack's resources by tagging them. Against the project's own
// model of IAM's evaluation of tag conditions (iamModel.ts), not against AWS.
import * as assert from "assert";
import { ProgramRun } from "../../harness";
import { ownershipTagKeys, tagActionPairs, tagActions, untagActions } from "../policies/scope";
import { BootstrapRun, mockAccountId, runBootstrap } from "./harness";
import { actionsOf, evaluate, ModelPolicy } from "./iamModel";
import { callsOfRun, ProviderCall } from "./providerCalls";
import { providerDefaultTags, registeredRoles } from "./roles";
import { boundaryOf, bootstrapForDeploys, deployedRun } from "./stackRuns";

/**
 * Where AWS gives no way to tell a tag-on-create check from tagging an existing resource (no CreateAction key), an
 * untagged resource of the region can still be tagged into the stack (docs/platform-facts.md, "Scoping the deploy
 * role"). For IAM that is only a role under the stack's own path: the path keeps every other role out of reach; for
 * CloudWatch alarms and SNS topics, only those named like the stack's own.
 */
const claimableWhenUntagged = [
    "acm:AddTagsToCertificate",
    "application-autoscaling:TagResource",
    "apprunner:TagResource",
    "cloudwatch:TagResource",
    "ecr:TagResource",
    "iam:TagRole",
    "lambda:TagResource",
    "logs:TagResource",
    "sns:TagResource",
];

const prefixed = (prefix: string, tags: Readonly<Record<string, string>>) =>
    Object.fromEntries(Object.entries(tags).map(([key, value]) => [`${prefix}/${key}`, value]));

const untagActionOf = (tagAction: string) => {
    const pair = tagActionPairs.find(([tag]) => tag === tagAction);
    assert.ok(pair, `no untag action paired with ${tagAction}`);
    return pair[1];
};

describe("bootstrap: the deploy roles keep the ownership tags in place", () => {
    let bootstrap: BootstrapRun;
    before(async () => {
        bootstrap = await runBootstrap("ci", bootstrapForDeploys);
    });

    for (const [environment, stack, otherStack] of [
        ["dev", "dev", "prod"],
        ["production", "prod", "dev"],
    ]) {
        describe(`${environment} (stack ${stack})`, () => {
            let policies: ModelPolicy[];
            let run: ProgramRun;
            let tags: Record<string, string>;
            /** The tag-on-create calls of the stack's resources: the actions and resources a claim would use. */
            let tagCalls: (ProviderCall & { type: string })[];
            before(async () => {
                policies = Object.values(registeredRoles(bootstrap)[environment].policies);
                run = await deployedRun(stack, boundaryOf(bootstrap, environment));
                tags = providerDefaultTags(run.resources);
                const { calls } = callsOfRun(run.resources, { account: mockAccountId, region: run.region });
                tagCalls = calls.filter((call) => call.kind === "creates" && tagActions.includes(call.action));
                assert.ok(tagCalls.length >= 8, `only ${tagCalls.length} tag-on-create calls`);
            });

            /** A direct tagging call on an existing resource: no CreateAction key, the stack's tags in the request. */
            const claim = (call: ProviderCall, resourceTags: Record<string, string>) =>
                evaluate(policies, {
                    action: call.action,
                    resource: call.resource,
                    context: {
                        ...prefixed("aws:RequestTag", tags),
                        ...prefixed("aws:ResourceTag", resourceTags),
                        "aws:TagKeys": Object.keys(tags),
                        "aws:RequestedRegion": run.region,
                    },
                });

            it("cannot claim a resource of another stack or another project by tagging it", () => {
                for (const foreign of [
                    { ...tags, stack: otherStack },
                    { ...tags, project: "someone-else" },
                    { project: "someone-else" },
                ]) {
                    for (const call of tagCalls) {
                        assert.strictEqual(
                            claim(call, foreign),
                            "explicit-deny",
                            `${call.action} on ${call.resource} tagged ${JSON.stringify(foreign)}`,
                        );
                    }
                }
            });

            it("cannot claim an untagged resource, except where AWS cannot tell tagging on create from a claim", () => {
                const claimed = [
                    ...new Set(tagCalls.filter((call) => claim(call, {}) === "allow").map((c) => c.action)),
                ];
                // Of those, the ones whose resources the stack registers.
                const registered = claimableWhenUntagged.filter((action) => tagCalls.some((c) => c.action === action));
                assert.deepStrictEqual(claimed.sort(), registered);
            });

            it("cannot move its resources to another stack or project, nor drop their ownership tags, in any case", () => {
                const ownContext = { ...prefixed("aws:ResourceTag", tags), "aws:RequestedRegion": run.region };
                for (const call of tagCalls) {
                    for (const moved of <Record<string, string>[]>[
                        { "aws:RequestTag/stack": otherStack },
                        { "aws:RequestTag/STACK": otherStack },
                        { "aws:RequestTag/project": "someone-else" },
                    ]) {
                        const request = {
                            action: call.action,
                            resource: call.resource,
                            context: { ...ownContext, ...moved },
                        };
                        assert.strictEqual(
                            evaluate(policies, request),
                            "explicit-deny",
                            `${call.action} ${JSON.stringify(moved)}`,
                        );
                    }
                    for (const dropped of [["stack"], ["team", "project"], ["Stack"]]) {
                        const request = {
                            action: untagActionOf(call.action),
                            resource: call.resource,
                            context: { ...ownContext, "aws:TagKeys": dropped },
                        };
                        assert.strictEqual(
                            evaluate(policies, request),
                            "explicit-deny",
                            `${request.action} ${dropped.join()}`,
                        );
                    }
                }
            });

            it("still changes its own resources' other tags, as an update of the stack's tags does", () => {
                // The provider tags and untags only the keys that changed (terraform-provider-aws, tags update).
                const ownContext = { ...prefixed("aws:ResourceTag", tags), "aws:RequestedRegion": run.region };
                for (const call of tagCalls) {
                    const tag = { ...ownContext, "aws:RequestTag/team": "platform", "aws:TagKeys": ["team"] };
                    assert.strictEqual(
                        evaluate(policies, { action: call.action, resource: call.resource, context: tag }),
                        "allow",
                        `${call.action} on ${call.resource}`,
                    );
                    const untag = { ...ownContext, "aws:TagKeys": ["team"] };
                    const untagAction = untagActionOf(call.action);
                    assert.strictEqual(
                        evaluate(policies, { action: untagAction, resource: call.resource, context: untag }),
                        "allow",
                        `${untagAction} on ${call.resource}`,
                    );
                }
            });

            it("reaches no role outside its stack's path, whatever tags that role carries", () => {
                const role = (nameWithPath: string) => `arn:aws:iam::${mockAccountId}:role/${nameWithPath}`;
                const outside = [
                    role("legacy-admin"),
                    role(`graviton-multiarch/${otherStack}/web-task-1a2b3c4`),
                    role(`graviton-multiarch/${stack}x/web-task-1a2b3c4`),
                    role(`other-app/${stack}/web-task-1a2b3c4`),
                ];
                // As if the role had been given this stack's tags: the path alone must keep it out of reach.
                const context = {
                    ...prefixed("aws:ResourceTag", tags),
                    ...prefixed("aws:RequestTag", tags),
                    "iam:PassedToService": "lambda.amazonaws.com",
                    "aws:RequestedRegion": run.region,
                };
                for (const resource of outside) {
                    for (const action of [
                        "iam:CreateRole",
                        "iam:TagRole",
                        "iam:UntagRole",
                        "iam:PutRolePolicy",
                        "iam:AttachRolePolicy",
                        "iam:DetachRolePolicy",
                        "iam:DeleteRolePolicy",
                        "iam:UpdateAssumeRolePolicy",
                        "iam:PutRolePermissionsBoundary",
                        "iam:UpdateRole",
                        "iam:DeleteRole",
                        "iam:PassRole",
                    ]) {
                        assert.notStrictEqual(
                            evaluate(policies, { action, resource, context }),
                            "allow",
                            `${action} on ${resource}`,
                        );
                    }
                }
            });
        });
    }

    it("guards every tagging action the deploy policies allow", () => {
        const allowed = Object.values(registeredRoles(bootstrap).dev.policies).map((policy) => ({
            Statement: policy.Statement.filter((statement) => statement.Effect === "Allow"),
        }));
        const tagging = actionsOf(allowed).filter((action) =>
            /:(Tag|Untag)[A-Za-z]*$|:(AddTags|RemoveTags|CreateTags|DeleteTags)$/.test(action),
        );
        assert.ok(tagging.length > 10);
        for (const action of tagging) {
            assert.ok([...tagActions, ...untagActions].includes(action), `${action} is not in the ownership guards`);
        }
        assert.deepStrictEqual([...ownershipTagKeys], ["project", "stack"]);
    });
});
