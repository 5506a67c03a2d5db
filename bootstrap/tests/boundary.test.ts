// The permissions boundary each deploy environment gets, and the roles the program creates under it. Against the
// project's own model of IAM's boundary intersection (iamModel.ts), not against AWS.
import * as assert from "assert";
import { parseStackConfig } from "../../config";
import { stackConfig } from "../../harness";
import { boundedRoleActions } from "../policies/deployRegistryAndIam";
import { BootstrapRun, mockAccountId, runBootstrap } from "./harness";
import { evaluate, evaluateBounded, IamRequest, ModelPolicy } from "./iamModel";
import { providerDefaultTags, registeredRoles } from "./roles";
import { awsManagedPolicies } from "./awsManagedPolicies";
import { boundaryOf, bootstrapForDeploys, deployedRun } from "./stackRuns";

interface PolicyStatement {
    Action: string | string[];
    Resource: string | string[];
}
const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
const prefixed = (prefix: string, tags: Readonly<Record<string, string>>) =>
    Object.fromEntries(Object.entries(tags).map(([key, value]) => [`${prefix}/${key}`, value]));

describe("bootstrap: the permissions boundary of each deploy environment's stack", () => {
    let bootstrap: BootstrapRun;
    before(async () => {
        bootstrap = await runBootstrap("ci", bootstrapForDeploys);
    });

    const boundaryDocument = (environment: string): ModelPolicy => {
        const policy = bootstrap
            .ofType("aws:iam/policy:Policy")
            .find((p) => p.state.arn === boundaryOf(bootstrap, environment));
        assert.ok(policy, `no boundary policy for ${environment}`);
        return JSON.parse(String(policy.inputs.policy)) as ModelPolicy;
    };

    it("is a managed policy per deploy environment, attached to no role, with the commands that set it per stack", () => {
        const roles = bootstrap.outputs.roles as Record<string, { permissionsBoundaryArn?: string }>;
        assert.strictEqual(roles["preview-dev"].permissionsBoundaryArn, undefined);
        assert.strictEqual(roles["preview-prod"].permissionsBoundaryArn, undefined);
        const dev = boundaryOf(bootstrap, "dev");
        const prod = boundaryOf(bootstrap, "production");
        assert.notStrictEqual(dev, prod);
        const attached = bootstrap
            .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .map((attachment) => attachment.inputs.policyArn);
        assert.ok(!attached.includes(dev) && !attached.includes(prod));
        assert.deepStrictEqual(bootstrap.outputs.stackConfigCommands, [
            `pulumi config set --path iam.permissionsBoundaryArn ${dev} --stack dev`,
            `pulumi config set --path iam.permissionsBoundaryArn ${prod} --stack prod`,
        ]);
        // The value the commands set is one the program accepts.
        const parsed = parseStackConfig(
            stackConfig("dev", { "graviton-multiarch:iam.permissionsBoundaryArn": dev }),
            "dev",
        );
        assert.strictEqual(parsed.iam.permissionsBoundaryArn, dev);
    });

    for (const [environment, stack, otherStack] of [
        ["dev", "dev", "prod"],
        ["production", "prod", "dev"],
    ]) {
        describe(`${environment} (stack ${stack})`, () => {
            it("allows the stack's roles everything the components grant them", async () => {
                const run = await deployedRun(stack, boundaryOf(bootstrap, environment));
                const context = {
                    ...prefixed("aws:ResourceTag", providerDefaultTags(run.resources)),
                    "aws:RequestedRegion": run.region,
                };
                const grants = run
                    .ofType<{ policy: string }>("aws:iam/rolePolicy:RolePolicy")
                    .flatMap(
                        (policy) => (JSON.parse(policy.inputs.policy) as { Statement: PolicyStatement[] }).Statement,
                    );
                assert.ok(grants.length >= 8, `${grants.length} statements`);
                const refused: string[] = [];
                for (const grant of grants) {
                    for (const action of asList(grant.Action)) {
                        for (const pattern of asList(grant.Resource)) {
                            // A log group's `:*` grant is used on its streams.
                            const resource = pattern.endsWith(":*")
                                ? `${pattern.slice(0, -1)}log-stream:app/1`
                                : pattern;
                            if (evaluate([boundaryDocument(environment)], { action, resource, context }) !== "allow") {
                                refused.push(`${action} on ${resource}`);
                            }
                        }
                    }
                }
                assert.deepStrictEqual(refused, []);
            });

            it("lets each role do what its attached AWS managed policies grant, where the components use them", async () => {
                const run = await deployedRun(stack, boundaryOf(bootstrap, environment));
                const boundaryArn = boundaryOf(bootstrap, environment);
                const roles = run.ofType<{ permissionsBoundary?: string; assumeRolePolicy: string }>(
                    "aws:iam/role:Role",
                );
                const attachments = run.ofType<{ role: string; policyArn: string }>(
                    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                );
                assert.ok(attachments.length >= 6, `${attachments.length} attachments`);
                const ours = prefixed("aws:ResourceTag", providerDefaultTags(run.resources));
                const region = { "aws:RequestedRegion": run.region };
                const refused: string[] = [];
                for (const attachment of attachments) {
                    const owner = roles.find((role) => role.state.name === attachment.inputs.role);
                    assert.ok(owner, `no role ${attachment.inputs.role}`);
                    if (owner.inputs.permissionsBoundary !== boundaryArn) {
                        // A service role: bounded by the very policy it carries, so it can do all that policy allows.
                        assert.strictEqual(owner.inputs.permissionsBoundary, attachment.inputs.policyArn, owner.name);
                        continue;
                    }
                    const statements =
                        awsManagedPolicies[attachment.inputs.policyArn.replace(/^arn:aws:iam::aws:policy\//, "")];
                    assert.ok(statements, `no copy of ${attachment.inputs.policyArn} in tests/awsManagedPolicies.ts`);
                    // Nodes call with their instance's credentials (and pull EKS's add-on images from AWS's account).
                    const node = owner.inputs.assumeRolePolicy.includes("ec2.amazonaws.com");
                    const instance: Record<string, string> = node
                        ? { "ec2:SourceInstanceARN": `arn:aws:ec2:${run.region}:${mockAccountId}:instance/i-0a1b2c3d` }
                        : {};
                    const regional = (service: string, resource: string, account = mockAccountId) =>
                        `arn:aws:${service}:${run.region}:${account}:${resource}`;
                    const requestsFor = (action: string): IamRequest[] => {
                        if (action.startsWith("logs:")) {
                            const stream = regional("logs", "log-group:express-1a2b3c4:log-stream:express/1");
                            return [{ action, resource: stream, context: region }];
                        }
                        if (action === "ec2:CreateTags") {
                            const eni = regional("ec2", "network-interface/eni-0123");
                            return [{ action, resource: eni, context: { ...region, ...instance } }];
                        }
                        if (action === "ecr:GetAuthorizationToken" || !action.startsWith("ecr:")) {
                            return [{ action, resource: "*", context: { ...region, ...instance } }];
                        }
                        const stackImages = { action, resource: regional("ecr", "repository/app-1a2b3c4") };
                        const addOnImages = {
                            action,
                            resource: regional("ecr", "repository/eks/coredns", "602401143452"),
                        };
                        return [
                            // BatchImportUpstreamImage fills a pull-through cache, which the stack's repository is not.
                            ...(action === "ecr:BatchImportUpstreamImage"
                                ? []
                                : [{ ...stackImages, context: { ...ours, ...region, ...instance } }]),
                            ...(node
                                ? [
                                      {
                                          ...addOnImages,
                                          context: { ...region, ...instance, "aws:ResourceAccount": "602401143452" },
                                      },
                                  ]
                                : []),
                        ];
                    };
                    for (const action of statements.flatMap((statement) => statement.actions)) {
                        const requests = requestsFor(action);
                        for (const request of requests) {
                            if (evaluate([boundaryDocument(environment)], request) !== "allow") {
                                refused.push(`${owner.name}: ${action} on ${request.resource}`);
                            }
                        }
                    }
                }
                assert.deepStrictEqual(refused, []);
            });

            it("gives EKS node rights to instance credentials of the stack's account only, not to functions or tasks", () => {
                const boundary = boundaryDocument(environment);
                const instance = (account: string) => ({
                    "ec2:SourceInstanceARN": `arn:aws:ec2:us-east-1:${account}:instance/i-0123456789abcdef0`,
                    "aws:RequestedRegion": "us-east-1",
                });
                const decide = (action: string, resource: string, context: Record<string, string>) =>
                    evaluate([boundary], { action, resource, context });
                for (const action of [
                    "ec2:CreateNetworkInterface",
                    "ec2:DeleteNetworkInterface",
                    "eks:DescribeCluster",
                ]) {
                    assert.strictEqual(decide(action, "*", instance(mockAccountId)), "allow", action);
                    assert.strictEqual(
                        decide(action, "*", { "aws:RequestedRegion": "us-east-1" }),
                        "implicit-deny",
                        action,
                    );
                    assert.strictEqual(decide(action, "*", instance("210987654321")), "implicit-deny", action);
                }
                // Another account's images yes; this account's only from the stack's repositories (by their tags).
                const pull = (account: string, context: Record<string, string>) =>
                    decide("ecr:BatchGetImage", `arn:aws:ecr:us-east-1:${account}:repository/other`, context);
                assert.strictEqual(
                    pull("602401143452", { ...instance(mockAccountId), "aws:ResourceAccount": "602401143452" }),
                    "allow",
                );
                assert.strictEqual(
                    pull(mockAccountId, { ...instance(mockAccountId), "aws:ResourceAccount": mockAccountId }),
                    "implicit-deny",
                );
            });

            it("allows nothing else: no IAM, no other stack's images, no pushes, no data, no code", () => {
                const regional = (service: string, resource: string) =>
                    `arn:aws:${service}:us-east-1:${mockAccountId}:${resource}`;
                const repository = regional("ecr", "repository/app-1a2b3c4");
                const ours = { "aws:ResourceTag/project": "graviton-multiarch", "aws:ResourceTag/stack": stack };
                // Every request carries the region it goes to; IAM's and STS's global endpoints are us-east-1.
                const inRegion = { "aws:RequestedRegion": "us-east-1" };
                const requests: IamRequest[] = [
                    {
                        action: "iam:PutRolePolicy",
                        resource: `arn:aws:iam::${mockAccountId}:role/x`,
                        context: inRegion,
                    },
                    { action: "iam:CreateRole", resource: `arn:aws:iam::${mockAccountId}:role/x`, context: inRegion },
                    { action: "iam:PassRole", resource: `arn:aws:iam::${mockAccountId}:role/x`, context: inRegion },
                    { action: "sts:AssumeRole", resource: `arn:aws:iam::${mockAccountId}:role/x`, context: inRegion },
                    { action: "ecr:PutImage", resource: repository, context: { ...ours, ...inRegion } },
                    { action: "ecr:SetRepositoryPolicy", resource: repository, context: { ...ours, ...inRegion } },
                    {
                        action: "ecr:BatchGetImage",
                        resource: repository,
                        context: { ...ours, "aws:ResourceTag/stack": otherStack, ...inRegion },
                    },
                    { action: "ecr:BatchGetImage", resource: repository, context: inRegion },
                    {
                        action: "ecr:GetAuthorizationToken",
                        resource: "*",
                        context: { "aws:RequestedRegion": "eu-west-1" },
                    },
                    {
                        action: "s3:GetObject",
                        resource: "arn:aws:s3:::team-state/.pulumi/meta.yaml",
                        context: inRegion,
                    },
                    {
                        action: "secretsmanager:GetSecretValue",
                        resource: regional("secretsmanager", "secret:db"),
                        context: {},
                    },
                    { action: "kms:Decrypt", resource: regional("kms", "key/1234"), context: inRegion },
                    {
                        action: "lambda:UpdateFunctionCode",
                        resource: regional("lambda", "function:api"),
                        context: inRegion,
                    },
                    { action: "logs:DeleteLogGroup", resource: regional("logs", "log-group:audit"), context: inRegion },
                    { action: "ecs:RunTask", resource: regional("ecs", "task-definition/x:1"), context: inRegion },
                    { action: "ec2:RunInstances", resource: regional("ec2", "instance/*"), context: inRegion },
                ];
                for (const request of requests) {
                    assert.strictEqual(
                        evaluate([boundaryDocument(environment)], request),
                        "implicit-deny",
                        `${request.action} on ${request.resource}`,
                    );
                }
            });

            it("lets the deploy role create and change roles only with its stack's boundary", () => {
                const policies = Object.values(registeredRoles(bootstrap)[environment].policies);
                const boundary = boundaryOf(bootstrap, environment);
                const otherBoundary = boundaryOf(bootstrap, environment === "dev" ? "production" : "dev");
                const role = `arn:aws:iam::${mockAccountId}:role/graviton-multiarch/${stack}/web-task-1a2b3c4`;
                const tags = { project: "graviton-multiarch", stack };
                const withBoundary = (arn: string | undefined): Record<string, string> =>
                    arn === undefined ? {} : { "iam:PermissionsBoundary": arn };
                const boundaries = [undefined, otherBoundary, "arn:aws:iam::aws:policy/AdministratorAccess"];

                const create = (arn: string | undefined) =>
                    evaluate(policies, {
                        action: "iam:CreateRole",
                        resource: role,
                        context: { ...prefixed("aws:RequestTag", tags), ...withBoundary(arn) },
                    });
                assert.strictEqual(create(boundary), "allow");
                for (const arn of boundaries) {
                    assert.notStrictEqual(create(arn), "allow", `CreateRole with boundary ${arn}`);
                }

                for (const action of boundedRoleActions) {
                    const change = (arn: string | undefined) =>
                        evaluate(policies, {
                            action,
                            resource: role,
                            context: { ...prefixed("aws:ResourceTag", tags), ...withBoundary(arn) },
                        });
                    assert.strictEqual(change(boundary), "allow", action);
                    for (const arn of boundaries) {
                        assert.notStrictEqual(change(arn), "allow", `${action} with boundary ${arn}`);
                    }
                }

                const ownRole = { ...prefixed("aws:ResourceTag", tags), ...withBoundary(boundary) };
                assert.strictEqual(
                    evaluate(policies, {
                        action: "iam:DeleteRolePermissionsBoundary",
                        resource: role,
                        context: ownRole,
                    }),
                    "explicit-deny",
                );
                for (const action of [
                    "iam:CreatePolicyVersion",
                    "iam:DeletePolicy",
                    "iam:DeletePolicyVersion",
                    "iam:SetDefaultPolicyVersion",
                ]) {
                    assert.strictEqual(
                        evaluate(policies, { action, resource: boundary, context: {} }),
                        "explicit-deny",
                        action,
                    );
                }
            });

            it("so a role it creates, given any policy, can do no more than the boundary", () => {
                // The review's path to admin: create a role, put an admin policy on it, pass it to Lambda.
                const admin: ModelPolicy = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
                const boundary = boundaryDocument(environment);
                for (const action of [
                    "iam:PutRolePolicy",
                    "iam:CreateUser",
                    "sts:AssumeRole",
                    "s3:GetObject",
                    "ec2:RunInstances",
                ]) {
                    assert.strictEqual(
                        evaluateBounded([admin], boundary, {
                            action,
                            resource: "*",
                            context: { "aws:RequestedRegion": "us-east-1" },
                        }),
                        "implicit-deny",
                        action,
                    );
                }
                const logs = `arn:aws:logs:us-east-1:${mockAccountId}:log-group:api-1a2b3c4:log-stream:app/1`;
                assert.strictEqual(
                    evaluateBounded([admin], boundary, { action: "logs:PutLogEvents", resource: logs, context: {} }),
                    "allow",
                );
            });
        });
    }
});
