// The deploy roles' policies, held to every call the program's resources lead to. These run against the project's
// own models, not AWS: IAM's evaluation (iamModel.ts) and the calls the providers make (providerCalls*.ts).
import * as assert from "assert";
import { projectName } from "../../config";
import { ProgramRun } from "../../harness";
import { passedToServices, serviceLinkedRoles } from "../policies/deployRegistryAndIam";
import { BootstrapRun, exampleRepository, mockAccountId, runBootstrap } from "./harness";
import { actionsOf, evaluate, ModelPolicy } from "./iamModel";
import { callsOfRun, contextOf } from "./providerCalls";
import { providerDefaultTags, registeredRoles } from "./roles";
import { boundaryOf, bootstrapForDeploys, deployedRun } from "./stackRuns";

const ns = "graviton-bootstrap";

/** The IAM service prefix behind each module of resource types the program registers. */
function iamPrefixOf(type: string): string | undefined {
    const [provider, module] = type.split(":");
    if (provider === "docker-build") {
        return "ecr";
    }
    if (type === "awsx:ec2:Vpc") {
        return "ec2";
    }
    if (provider !== "aws") {
        return undefined;
    }
    const service = module.split("/")[0];
    const prefixes: Record<string, string> = {
        ec2: "ec2",
        vpc: "ec2",
        lb: "elasticloadbalancing",
        ecs: "ecs",
        ecr: "ecr",
        lambda: "lambda",
        apprunner: "apprunner",
        iam: "iam",
        appautoscaling: "application-autoscaling",
        acm: "acm",
        route53: "route53",
        eks: "eks",
        sns: "sns",
    };
    // The cloudwatch module holds CloudWatch Logs' log groups as well as CloudWatch's own resources.
    if (service === "cloudwatch") {
        return type.startsWith("aws:cloudwatch/logGroup:") ? "logs" : "cloudwatch";
    }
    return prefixes[service];
}

function deployPoliciesOf(run: BootstrapRun, environment: string): ModelPolicy[] {
    return Object.values(registeredRoles(run)[environment].policies);
}

/** Every call of the run's resources the policies refuse, evaluated with `tags` as the stack's tags. */
function refusedCalls(policies: ModelPolicy[], run: ProgramRun, tags: Record<string, string>): string[] {
    const { calls, unknownTypes } = callsOfRun(run.resources, { account: mockAccountId, region: run.region });
    assert.deepStrictEqual(unknownTypes, [], "resource types without a row in tests/providerCalls.ts");
    return calls
        .filter((call) => {
            const request = {
                action: call.action,
                resource: call.resource,
                context: contextOf(call, tags, run.region),
            };
            return evaluate(policies, request) !== "allow";
        })
        .map((call) => `${call.type}: ${call.action} (${call.kind}) on ${call.resource}`);
}

describe("bootstrap: the deploy roles", () => {
    let bootstrap: BootstrapRun;
    before(async () => {
        bootstrap = await runBootstrap("ci", bootstrapForDeploys);
    });

    for (const [environment, stack] of [
        ["dev", "dev"],
        ["production", "prod"],
    ]) {
        describe(`${environment} (stack ${stack})`, () => {
            it("name an action of every AWS service whose resources the main program registers", async () => {
                const run = await deployedRun(stack, boundaryOf(bootstrap, environment));
                const services = new Set(
                    actionsOf(deployPoliciesOf(bootstrap, environment)).map((a) => a.split(":")[0]),
                );
                const missing: string[] = [];
                for (const resource of run.resources) {
                    // Kubernetes objects go to the cluster's API server, not to AWS (providerCallsKubernetes.ts).
                    if (
                        resource.type.startsWith("pulumi:providers:") ||
                        resource.type.startsWith("kubernetes:") ||
                        (!resource.custom && resource.type !== "awsx:ec2:Vpc")
                    ) {
                        continue;
                    }
                    const prefix = iamPrefixOf(resource.type);
                    if (prefix === undefined || !services.has(prefix)) {
                        missing.push(`${resource.type} (${prefix ?? "no IAM prefix known"})`);
                    }
                }
                assert.deepStrictEqual([...new Set(missing)], []);
            });

            it("allow every call `pulumi up` and `pulumi destroy` make for the stack's resources", async () => {
                const run = await deployedRun(stack, boundaryOf(bootstrap, environment));
                const tags = providerDefaultTags(run.resources);
                assert.deepStrictEqual(refusedCalls(deployPoliciesOf(bootstrap, environment), run, tags), []);
            });

            it("refuse the same calls on resources of another stack or project, or in another region", async () => {
                // The one exception: a security group (itself tagged for this stack) may go into any VPC of the
                // region, since `network.vpcId` names a VPC the program did not create or tag.
                const intoAnyVpc = (call: { action: string; resource: string }) =>
                    call.action === "ec2:CreateSecurityGroup" && call.resource.includes(":vpc/");
                const run = await deployedRun(stack, boundaryOf(bootstrap, environment));
                const tags = providerDefaultTags(run.resources);
                const policies = deployPoliciesOf(bootstrap, environment);
                const { calls } = callsOfRun(run.resources, { account: mockAccountId, region: run.region });
                const scoped = calls.filter((call) => ["creates", "createsIn", "uses"].includes(call.kind));
                const foreignTags: Record<string, string>[] = [
                    { ...tags, stack: stack === "dev" ? "prod" : "dev" },
                    { ...tags, project: "someone-else" },
                    // Untagged: created outside Pulumi, or by another program.
                    {},
                ];
                for (const foreign of foreignTags) {
                    const allowed = scoped.filter(
                        (call) =>
                            evaluate(policies, {
                                action: call.action,
                                resource: call.resource,
                                context: contextOf(call, foreign, run.region),
                            }) === "allow",
                    );
                    assert.deepStrictEqual(
                        allowed.filter((call) => !intoAnyVpc(call)).map((call) => `${call.action} on ${call.resource}`),
                        [],
                        JSON.stringify(foreign),
                    );
                }
                const unscoped = calls.filter((call) => call.kind === "unscoped");
                assert.ok(unscoped.length > 0);
                for (const call of unscoped) {
                    const elsewhere = contextOf(call, tags, "eu-north-1");
                    assert.strictEqual(
                        evaluate(policies, { action: call.action, resource: call.resource, context: elsewhere }),
                        "implicit-deny",
                        call.action,
                    );
                }
            });
        });
    }

    it("cannot change, pass or delete the bootstrap's own roles and policies", () => {
        const tags = providerDefaultTags(bootstrap.resources);
        assert.strictEqual(tags.project, "graviton-bootstrap");
        const context = Object.fromEntries(
            Object.entries(tags).map(([key, value]) => [`aws:ResourceTag/${key}`, value]),
        );
        const roles = registeredRoles(bootstrap);
        const policyArns = bootstrap.ofType("aws:iam/policy:Policy").map((policy) => String(policy.state.arn));
        for (const environment of ["dev", "production"]) {
            const policies = deployPoliciesOf(bootstrap, environment);
            for (const role of Object.values(roles)) {
                for (const action of [
                    "iam:PutRolePolicy",
                    "iam:AttachRolePolicy",
                    "iam:DetachRolePolicy",
                    "iam:UpdateAssumeRolePolicy",
                    "iam:DeleteRole",
                    "iam:TagRole",
                    "iam:UntagRole",
                ]) {
                    assert.notStrictEqual(
                        evaluate(policies, { action, resource: role.arn, context }),
                        "allow",
                        `${environment}: ${action} on ${role.arn}`,
                    );
                }
                const pass = { ...context, "iam:PassedToService": "lambda.amazonaws.com" };
                assert.strictEqual(
                    evaluate(policies, { action: "iam:PassRole", resource: role.arn, context: pass }),
                    "implicit-deny",
                );
            }
            for (const policyArn of policyArns) {
                for (const action of ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:SetDefaultPolicyVersion"]) {
                    assert.notStrictEqual(
                        evaluate(policies, { action, resource: policyArn, context }),
                        "allow",
                        `${environment}: ${action} on ${policyArn}`,
                    );
                }
            }
            const provider = `arn:aws:iam::${mockAccountId}:oidc-provider/token.actions.githubusercontent.com`;
            for (const action of ["iam:UpdateOpenIDConnectProviderThumbprint", "iam:DeleteOpenIDConnectProvider"]) {
                assert.strictEqual(
                    evaluate(policies, { action, resource: provider, context }),
                    "implicit-deny",
                    action,
                );
            }
        }
    });

    it("pass the stack's roles only to ECS tasks, Lambda, App Runner, ECS and EKS", () => {
        const policies = deployPoliciesOf(bootstrap, "dev");
        const role = `arn:aws:iam::${mockAccountId}:role/graviton-multiarch/dev/web-task-6b4e011`;
        const tags = { "aws:ResourceTag/project": projectName, "aws:ResourceTag/stack": "dev" };
        for (const service of passedToServices) {
            const context = { ...tags, "iam:PassedToService": service };
            assert.strictEqual(
                evaluate(policies, { action: "iam:PassRole", resource: role, context }),
                "allow",
                service,
            );
        }
        for (const service of ["ec2.amazonaws.com", "cloudformation.amazonaws.com", "glue.amazonaws.com"]) {
            const context = { ...tags, "iam:PassedToService": service };
            assert.strictEqual(
                evaluate(policies, { action: "iam:PassRole", resource: role, context }),
                "implicit-deny",
                service,
            );
        }
    });

    it("let AWS create only the six services' service-linked roles, by their names", () => {
        const policies = deployPoliciesOf(bootstrap, "production");
        const slr = (service: string, name: string) => ({
            action: "iam:CreateServiceLinkedRole",
            resource: `arn:aws:iam::${mockAccountId}:role/aws-service-role/${service}/${name}`,
            context: { "iam:AWSServiceName": service },
        });
        for (const [service, name] of Object.entries(serviceLinkedRoles)) {
            assert.strictEqual(evaluate(policies, slr(service, name)), "allow", service);
            assert.strictEqual(evaluate(policies, slr(service, `${name}_custom`)), "implicit-deny", service);
        }
        assert.strictEqual(evaluate(policies, slr("spot.amazonaws.com", "AWSServiceRoleForEC2Spot")), "implicit-deny");
        assert.strictEqual(
            evaluate(policies, slr("autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling")),
            "implicit-deny",
        );
    });

    it("with a self-managed state: read and write its own stack's state files, no other stack's or project's", async () => {
        const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const run = await runBootstrap("ci", {
            [`${ns}:repository`]: exampleRepository,
            [`${ns}:stateBackendUrl`]: "s3://team-state",
            [`${ns}:kmsKeyArn`]: key,
        });
        const policies = deployPoliciesOf(run, "dev");
        const decide = (action: string, resource: string) => evaluate(policies, { action, resource, context: {} });
        const state = (key: string) => `arn:aws:s3:::team-state/.pulumi/${key}`;
        // The DIY backend's project layout (pulumi/pulumi pkg/backend/diy: store.go, state.go, lock.go).
        const own = [
            "stacks/graviton-multiarch/dev.json",
            "stacks/graviton-multiarch/dev.json.bak",
            "stacks/graviton-multiarch/dev.json.gz",
            "stacks/graviton-multiarch/dev.pulumi-tags",
            "history/graviton-multiarch/dev/dev-1767225600000000000.history.json",
            "backups/graviton-multiarch/dev/dev.1767225600000000000.json",
            "journal/graviton-multiarch/dev/1.json",
            "locks/organization/graviton-multiarch/dev/1.json",
        ];
        const others = [
            "stacks/graviton-multiarch/prod.json",
            "stacks/graviton-multiarch/prod.pulumi-tags",
            "history/graviton-multiarch/prod/prod-1.history.json",
            "backups/graviton-multiarch/prod/prod.1.json",
            "locks/organization/graviton-multiarch/prod/1.json",
            "stacks/graviton-bootstrap/ci.json",
            "stacks/other-project/dev.json",
            "locks/organization/other-project/dev/1.json",
            "stacks/graviton-multiarch/devtest.json",
            "other/file",
        ];
        for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) {
            for (const key of own) {
                assert.strictEqual(decide(action, state(key)), "allow", `${action} ${key}`);
            }
            for (const key of others) {
                assert.strictEqual(decide(action, state(key)), "implicit-deny", `${action} ${key}`);
            }
        }
        assert.strictEqual(decide("s3:GetObject", state("meta.yaml")), "allow");
        assert.strictEqual(decide("s3:PutObject", state("meta.yaml")), "implicit-deny");
        assert.strictEqual(decide("s3:ListBucket", "arn:aws:s3:::team-state"), "allow");
        assert.strictEqual(decide("s3:DeleteBucket", "arn:aws:s3:::team-state"), "implicit-deny");
        assert.strictEqual(decide("kms:GenerateDataKey", key), "allow");
        assert.strictEqual(decide("kms:Decrypt", key), "allow");
        assert.strictEqual(decide("kms:ScheduleKeyDeletion", key), "implicit-deny");
    });
});
