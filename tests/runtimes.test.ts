import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import { AppRunnerService } from "../components/appRunnerService";
import { ArmLambda } from "../components/armLambda";
import { FargateServicePair } from "../components/fargateServicePair";
import { everyRuntimeRun, ProgramRun, runProgram, stackRun } from "./harness";

type TaskDefinitionInputs = pulumi.Unwrap<aws.ecs.TaskDefinitionArgs>;
type ServiceInputs = pulumi.Unwrap<aws.ecs.ServiceArgs>;
type ListenerInputs = pulumi.Unwrap<aws.lb.ListenerArgs>;
type ListenerRuleInputs = pulumi.Unwrap<aws.lb.ListenerRuleArgs>;
type FunctionInputs = pulumi.Unwrap<aws.lambda.FunctionArgs>;
type AppRunnerInputs = pulumi.Unwrap<aws.apprunner.ServiceArgs>;

interface ContainerDefinition {
    name: string;
    image: string;
    portMappings: { containerPort: number }[];
    logConfiguration: { logDriver: string; options: Record<string, string> };
}

interface PolicyStatement {
    Effect: string;
    Action: string | string[];
    Resource?: string | string[];
    Principal?: { Service?: string };
}

const ns = "graviton-multiarch";
const asList = (value: string | string[] | undefined) =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];

function taskDefinitionFor(run: ProgramRun, architecture: string) {
    const matches = run
        .ofType<TaskDefinitionInputs>("aws:ecs/taskDefinition:TaskDefinition")
        .filter((definition) => definition.inputs.runtimePlatform?.cpuArchitecture === architecture);
    assert.strictEqual(matches.length, 1, `expected one ${architecture} task definition`);
    return matches[0];
}

function serviceFor(run: ProgramRun, architecture: string) {
    const taskDefinitionArn = taskDefinitionFor(run, architecture).state.arn;
    const matches = run
        .ofType<ServiceInputs>("aws:ecs/service:Service")
        .filter((service) => service.inputs.taskDefinition === taskDefinitionArn);
    assert.strictEqual(matches.length, 1, `expected one service running the ${architecture} task definition`);
    return matches[0];
}

function containersOf(run: ProgramRun, architecture: string): ContainerDefinition[] {
    return JSON.parse(taskDefinitionFor(run, architecture).inputs.containerDefinitions) as ContainerDefinition[];
}

function targetGroupArnFor(run: ProgramRun, architecture: string): string {
    return serviceFor(run, architecture).inputs.loadBalancers?.[0]?.targetGroupArn as string;
}

for (const stack of ["dev", "prod"]) {
    describe(`runtimes (${stack})`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await everyRuntimeRun(stack);
        });

        it("runs one X86_64 and one ARM64 Fargate task definition on the same image index", () => {
            for (const architecture of ["X86_64", "ARM64"]) {
                const [container] = containersOf(run, architecture);
                assert.strictEqual(container.image, run.outputs.indexRef);
            }
            assert.notStrictEqual(run.outputs.indexRef, run.outputs.amd64Ref);
            assert.notStrictEqual(run.outputs.indexRef, run.outputs.arm64Ref);
        });

        it("ships container logs to CloudWatch with the configured retention", () => {
            const [container] = containersOf(run, "ARM64");
            assert.strictEqual(container.logConfiguration.logDriver, "awslogs");
            assert.strictEqual(container.logConfiguration.options["awslogs-region"], "us-east-1");
            const groups = run.ofType("aws:cloudwatch/logGroup:LogGroup");
            const serviceGroup = groups.find(
                (group) => group.state.name === container.logConfiguration.options["awslogs-group"],
            );
            assert.ok(serviceGroup, "the task logs to a log group this stack does not create");
            assert.strictEqual(serviceGroup.inputs.retentionInDays, stack === "prod" ? 30 : 7);
        });

        it("deploys both services in private subnets with a circuit breaker that rolls back, and ECS Exec", () => {
            for (const architecture of ["X86_64", "ARM64"]) {
                const service = serviceFor(run, architecture);
                assert.deepStrictEqual(service.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
                assert.strictEqual(service.inputs.enableExecuteCommand, true);
                assert.strictEqual(service.inputs.networkConfiguration?.assignPublicIp, false);
                assert.deepStrictEqual(service.inputs.networkConfiguration?.subnets, [
                    "subnet-0bbb000000000001a",
                    "subnet-0bbb000000000002b",
                ]);
                assert.deepStrictEqual(service.options.ignoreChanges, ["desiredCount"]);
            }
        });

        it("makes pulumi up wait for each rollout, long enough for a rollback to finish", () => {
            for (const architecture of ["X86_64", "ARM64"]) {
                const service = serviceFor(run, architecture);
                assert.strictEqual(service.inputs.waitForSteadyState, true);
                assert.deepStrictEqual(service.options.customTimeouts, { create: "30m", update: "30m" });
            }
        });

        it("lets ECS Exec log its sessions under the cluster's DEFAULT logging", () => {
            const cluster = run.one<pulumi.Unwrap<aws.ecs.ClusterArgs>>("aws:ecs/cluster:Cluster", "web");
            assert.deepStrictEqual(cluster.inputs.configuration, {
                executeCommandConfiguration: { logging: "DEFAULT" },
            });
            const logGroupArn = run.one("aws:cloudwatch/logGroup:LogGroup", "web").state.arn as string;
            // The awslogs group every container writes to is where DEFAULT sends the sessions.
            for (const architecture of ["X86_64", "ARM64"]) {
                const container = (
                    JSON.parse(
                        taskDefinitionFor(run, architecture).inputs.containerDefinitions,
                    ) as ContainerDefinition[]
                )[0];
                assert.strictEqual(container.logConfiguration.logDriver, "awslogs");
            }
            const task = run
                .ofType<{ policy: string }>("aws:iam/rolePolicy:RolePolicy")
                .find((policy) => policy.name === "web-task");
            assert.ok(task);
            const statements = (JSON.parse(task.inputs.policy) as { Statement: PolicyStatement[] }).Statement;
            const grantedOn = (action: string) =>
                statements
                    .filter((statement) => asList(statement.Action).includes(action))
                    .flatMap((statement) => asList(statement.Resource));
            assert.deepStrictEqual(grantedOn("logs:DescribeLogGroups"), ["*"]);
            for (const action of ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]) {
                assert.deepStrictEqual(grantedOn(action), [`${logGroupArn}:*`], action);
            }
        });

        it("autoscales each service on CPU between its desired count and the maximum", () => {
            const targets = run.ofType<pulumi.Unwrap<aws.appautoscaling.TargetArgs>>(
                "aws:appautoscaling/target:Target",
            );
            assert.strictEqual(targets.length, 2);
            const expectedMin = stack === "prod" ? 2 : 1;
            const expectedMax = stack === "prod" ? 8 : 4;
            for (const target of targets) {
                assert.strictEqual(target.inputs.scalableDimension, "ecs:service:DesiredCount");
                assert.strictEqual(target.inputs.minCapacity, expectedMin);
                assert.strictEqual(target.inputs.maxCapacity, expectedMax);
            }
            const policies = run.ofType<pulumi.Unwrap<aws.appautoscaling.PolicyArgs>>(
                "aws:appautoscaling/policy:Policy",
            );
            assert.deepStrictEqual(
                policies.map(
                    (policy) =>
                        policy.inputs.targetTrackingScalingPolicyConfiguration?.predefinedMetricSpecification
                            ?.predefinedMetricType,
                ),
                ["ECSServiceAverageCPUUtilization", "ECSServiceAverageCPUUtilization"],
            );
        });

        it("health-checks /healthz on one target group per architecture", () => {
            const groups = run.ofType<pulumi.Unwrap<aws.lb.TargetGroupArgs>>("aws:lb/targetGroup:TargetGroup");
            assert.strictEqual(groups.length, 2);
            for (const group of groups) {
                assert.strictEqual(group.inputs.healthCheck?.path, "/healthz");
                assert.strictEqual(group.inputs.targetType, "ip");
                assert.strictEqual(group.inputs.port, 8080);
            }
            assert.notStrictEqual(targetGroupArnFor(run, "X86_64"), targetGroupArnFor(run, "ARM64"));
        });

        it("splits listener traffic by the configured ARM share, with stickiness", () => {
            const listener = run.one<ListenerInputs>("aws:lb/listener:Listener");
            const forward = listener.inputs.defaultActions[0].forward;
            assert.deepStrictEqual(forward?.targetGroups, [
                { arn: targetGroupArnFor(run, "X86_64"), weight: 50 },
                { arn: targetGroupArnFor(run, "ARM64"), weight: 50 },
            ]);
            assert.deepStrictEqual(forward?.stickiness, { enabled: true, duration: 3600 });
            assert.strictEqual(listener.inputs.port, 80);
        });

        it("pins a request to one architecture with the x-target-arch header", () => {
            const rules = run
                .ofType<ListenerRuleInputs>("aws:lb/listenerRule:ListenerRule")
                .filter((rule) => rule.name.startsWith("web-pin-"));
            const pinned = Object.fromEntries(
                rules.map((rule) => [
                    rule.inputs.conditions[0].httpHeader?.values?.join(","),
                    rule.inputs.actions[0].targetGroupArn,
                ]),
            );
            assert.deepStrictEqual(pinned, {
                "amd64,x86_64": targetGroupArnFor(run, "X86_64"),
                "arm64,aarch64": targetGroupArnFor(run, "ARM64"),
            });
            for (const rule of rules) {
                assert.strictEqual(rule.inputs.conditions[0].httpHeader?.httpHeaderName, "x-target-arch");
            }
        });

        it("answers /info/share.json at the load balancer with the configured weights, before any pinning rule", () => {
            const listener = run.one<ListenerInputs>("aws:lb/listener:Listener");
            const rules = run.ofType<ListenerRuleInputs>("aws:lb/listenerRule:ListenerRule");
            const share = rules.find((rule) => rule.name === "web-share");
            assert.ok(share, "no web-share rule");
            assert.strictEqual(share.inputs.listenerArn, listener.state.arn);
            assert.deepStrictEqual(share.inputs.conditions, [{ pathPattern: { values: ["/info/share.json"] } }]);
            const [action] = share.inputs.actions;
            assert.strictEqual(action.type, "fixed-response");
            assert.strictEqual(action.fixedResponse?.statusCode, "200");
            assert.strictEqual(action.fixedResponse?.contentType, "application/json");
            assert.deepStrictEqual(JSON.parse(action.fixedResponse?.messageBody ?? ""), { x64: 50, arm64: 50 });
            const others = rules.filter((rule) => rule !== share).map((rule) => rule.inputs.priority ?? 0);
            assert.ok(
                others.every((priority) => priority > (share.inputs.priority ?? 0)),
                `share rule ${share.inputs.priority} after ${others}`,
            );
        });

        it("opens the ALB to the internet on the listener port only, and the tasks to the ALB on the container port only", () => {
            const ingress = run.ofType<pulumi.Unwrap<aws.vpc.SecurityGroupIngressRuleArgs>>(
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            );
            const groups = run.ofType("aws:ec2/securityGroup:SecurityGroup");
            const albGroupId = groups.find((group) => group.name.endsWith("-alb"))?.id;
            const taskGroupId = groups.find((group) => group.name.endsWith("-tasks"))?.id;
            const simplified = ingress.map((rule) => ({
                group:
                    rule.inputs.securityGroupId === albGroupId
                        ? "alb"
                        : rule.inputs.securityGroupId === taskGroupId
                          ? "tasks"
                          : "?",
                port: [rule.inputs.fromPort, rule.inputs.toPort],
                from:
                    rule.inputs.cidrIpv4 ??
                    (rule.inputs.referencedSecurityGroupId === albGroupId
                        ? "alb"
                        : rule.inputs.referencedSecurityGroupId),
            }));
            assert.deepStrictEqual(simplified, [
                { group: "alb", port: [80, 80], from: "0.0.0.0/0" },
                { group: "tasks", port: [8080, 8080], from: "alb" },
            ]);
        });

        it("runs the Lambda on arm64 from the arm64 manifest, never the index", () => {
            const fn = run.one<FunctionInputs>("aws:lambda/function:Function");
            assert.deepStrictEqual(fn.inputs.architectures, ["arm64"]);
            assert.strictEqual(fn.inputs.packageType, "Image");
            assert.strictEqual(fn.inputs.imageUri, run.outputs.arm64Ref);
            assert.notStrictEqual(fn.inputs.imageUri, run.outputs.indexRef);
            assert.deepStrictEqual(fn.inputs.environment?.variables, {
                PORT: "8080",
                AWS_LWA_PORT: "8080",
                AWS_LWA_READINESS_CHECK_PATH: "/healthz",
            });
            assert.strictEqual(fn.inputs.memorySize, stack === "prod" ? 1024 : 512);
        });

        it("lets Lambda pull only this repository's images, for functions of this account and region", () => {
            const policy = JSON.parse(run.one("aws:ecr/repositoryPolicy:RepositoryPolicy").inputs.policy as string) as {
                Statement: (PolicyStatement & { Condition: Record<string, Record<string, string>> })[];
            };
            assert.strictEqual(policy.Statement.length, 1);
            assert.deepStrictEqual(policy.Statement[0].Principal, { Service: "lambda.amazonaws.com" });
            assert.deepStrictEqual(policy.Statement[0].Action, ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]);
            assert.deepStrictEqual(policy.Statement[0].Condition, {
                StringLike: { "aws:sourceArn": "arn:aws:lambda:us-east-1:123456789012:function:*" },
            });
        });

        it("exports the service URLs and the three image refs", () => {
            assert.match(run.outputs.albUrl as string, /^http:\/\/[a-z0-9-]+\.us-east-1\.elb\.amazonaws\.com$/);
            assert.match(run.outputs.lambdaUrl as string, /^https:\/\/[a-z0-9]+\.lambda-url\.us-east-1\.on\.aws\/$/);
            assert.match(run.outputs.appRunnerUrl as string, /^https:\/\/[a-z0-9]+\.us-east-1\.awsapprunner\.com$/);
            for (const key of ["indexRef", "amd64Ref", "arm64Ref"]) {
                assert.match(run.outputs[key] as string, /@sha256:[0-9a-f]{64}$/);
            }
        });

        it("runs App Runner on the amd64 manifest with automatic deployments off", () => {
            const service = run.one<AppRunnerInputs>("aws:apprunner/service:Service");
            const source = service.inputs.sourceConfiguration;
            assert.strictEqual(source.imageRepository?.imageIdentifier, run.outputs.amd64Ref);
            assert.strictEqual(source.imageRepository?.imageRepositoryType, "ECR");
            assert.strictEqual(source.autoDeploymentsEnabled, false);
            // App Runner sets no variable the app could tell it by, so the deployment names it.
            assert.deepStrictEqual(source.imageRepository?.imageConfiguration?.runtimeEnvironmentVariables, {
                PORT: "8080",
                APP_RUNTIME: "apprunner",
            });
            assert.strictEqual(service.inputs.healthCheckConfiguration?.path, "/healthz");
            assert.deepStrictEqual(
                service.inputs.instanceConfiguration,
                stack === "prod" ? { cpu: "1024", memory: "2048" } : { cpu: "256", memory: "512" },
            );
        });

        it("replaces App Runner by deleting first, since its fixed name would collide", () => {
            const service = run.one<AppRunnerInputs>("aws:apprunner/service:Service");
            assert.strictEqual(typeof service.inputs.serviceName, "string");
            assert.strictEqual((service.options as pulumi.CustomResourceOptions).deleteBeforeReplace, true);
        });

        it("gives every role one trusting service and no wildcard action", () => {
            const trusted = run
                .ofType<{ assumeRolePolicy: string }>("aws:iam/role:Role")
                .map(
                    (role) => (JSON.parse(role.inputs.assumeRolePolicy) as { Statement: PolicyStatement[] }).Statement,
                );
            for (const statements of trusted) {
                assert.strictEqual(statements.length, 1);
                assert.deepStrictEqual(asList(statements[0].Action), ["sts:AssumeRole"]);
                assert.ok(statements[0].Principal?.Service?.endsWith(".amazonaws.com"));
            }
            // Express Mode adds its execution role and the infrastructure role ECS itself assumes.
            assert.deepStrictEqual(trusted.map((statements) => statements[0].Principal?.Service).sort(), [
                "build.apprunner.amazonaws.com",
                "ecs-tasks.amazonaws.com",
                "ecs-tasks.amazonaws.com",
                "ecs-tasks.amazonaws.com",
                "ecs.amazonaws.com",
                "lambda.amazonaws.com",
            ]);

            // These actions cannot be scoped to a resource, so AWS requires Resource "*" for them.
            const unscopable = new Set([
                "ecr:GetAuthorizationToken",
                "logs:DescribeLogGroups",
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
            ]);
            const documents = [
                ...run.ofType<{ policy: string }>("aws:iam/rolePolicy:RolePolicy"),
                ...run.ofType<{ policy: string }>("aws:ecr/repositoryPolicy:RepositoryPolicy"),
            ].map((resource) => JSON.parse(resource.inputs.policy) as { Statement: PolicyStatement[] });
            assert.ok(documents.length >= 4);
            for (const statement of documents.flatMap((document) => document.Statement)) {
                for (const action of asList(statement.Action)) {
                    assert.ok(!action.includes("*"), `wildcard action ${action}`);
                    if (asList(statement.Resource).includes("*")) {
                        assert.ok(unscopable.has(action), `${action} is granted on every resource`);
                    }
                }
            }
        });

        it("grants the execution role pulls from this repository and writes to its own log group", () => {
            const repositoryArn = run.one("aws:ecr/repository:Repository").state.arn;
            const execution = run
                .ofType<{ policy: string }>("aws:iam/rolePolicy:RolePolicy")
                .find((policy) => policy.name === "web-execution");
            assert.ok(execution);
            const statements = (JSON.parse(execution.inputs.policy) as { Statement: PolicyStatement[] }).Statement;
            assert.deepStrictEqual(statements[1].Resource, [repositoryArn]);
            assert.match(asList(statements[2].Resource)[0], /^arn:aws:logs:us-east-1:123456789012:log-group:.+:\*$/);
        });
    });
}

describe("runtimes: per-stack differences", () => {
    let dev: ProgramRun;
    let prod: ProgramRun;
    before(async () => {
        dev = await stackRun("dev");
        prod = await stackRun("prod");
    });

    it("sizes prod larger, with two tasks per architecture", () => {
        for (const architecture of ["X86_64", "ARM64"]) {
            assert.strictEqual(serviceFor(prod, architecture).inputs.desiredCount, 2);
            assert.strictEqual(serviceFor(dev, architecture).inputs.desiredCount, 1);
            assert.deepStrictEqual(
                [taskDefinitionFor(prod, architecture).inputs.cpu, taskDefinitionFor(prod, architecture).inputs.memory],
                ["1024", "2048"],
            );
            assert.deepStrictEqual(
                [taskDefinitionFor(dev, architecture).inputs.cpu, taskDefinitionFor(dev, architecture).inputs.memory],
                ["256", "512"],
            );
        }
    });

    it("turns on Container Insights in prod only", () => {
        const insights = (run: ProgramRun) =>
            (run.one("aws:ecs/cluster:Cluster").inputs.settings as { name: string; value: string }[])[0];
        assert.deepStrictEqual(insights(prod), { name: "containerInsights", value: "enabled" });
        assert.deepStrictEqual(insights(dev), { name: "containerInsights", value: "disabled" });
    });

    it("uses one NAT gateway in dev and one per AZ in prod, over two AZs", () => {
        const vpc = (run: ProgramRun) => run.one("awsx:ec2:Vpc").inputs;
        assert.deepStrictEqual(vpc(dev).natGateways, { strategy: "Single" });
        assert.deepStrictEqual(vpc(prod).natGateways, { strategy: "OnePerAz" });
        assert.strictEqual(vpc(prod).numberOfAvailabilityZones, 2);
        assert.deepStrictEqual(vpc(prod).subnetSpecs, [{ type: "Public" }, { type: "Private" }]);
    });

    it("requires signed requests on the prod function URL and opens dev's to the public", () => {
        assert.strictEqual(prod.one("aws:lambda/functionUrl:FunctionUrl").inputs.authorizationType, "AWS_IAM");
        assert.deepStrictEqual(prod.ofType("aws:lambda/permission:Permission"), []);
        assert.strictEqual(dev.one("aws:lambda/functionUrl:FunctionUrl").inputs.authorizationType, "NONE");
        const permissions = dev
            .ofType<pulumi.Unwrap<aws.lambda.PermissionArgs>>("aws:lambda/permission:Permission")
            .map((permission) => permission.inputs);
        assert.deepStrictEqual(
            permissions.map((permission) => [
                permission.action,
                permission.principal,
                permission.functionUrlAuthType,
                permission.invokedViaFunctionUrl,
            ]),
            [
                ["lambda:InvokeFunctionUrl", "*", "NONE", undefined],
                ["lambda:InvokeFunction", "*", undefined, true],
            ],
        );
    });
});

describe("runtimes: configuration switches", () => {
    it("creates no App Runner resources when App Runner is switched off", async () => {
        const run = await runProgram("dev", { config: { [`${ns}:appRunner.enabled`]: false } });
        assert.deepStrictEqual(run.ofType("aws:apprunner/service:Service"), []);
        assert.ok(!run.resources.some((resource) => resource.type.startsWith("graviton-multiarch:apprunner")));
        assert.strictEqual(run.outputs.appRunnerUrl, null);
        assert.ok(
            !run
                .ofType<{ assumeRolePolicy: string }>("aws:iam/role:Role")
                .some((role) => role.inputs.assumeRolePolicy.includes("apprunner")),
        );
    });

    it("moves the listener weights with armTrafficPercent", async () => {
        const run = await runProgram("dev", { config: { [`${ns}:service.armTrafficPercent`]: 90 } });
        const weights = run
            .one<ListenerInputs>("aws:lb/listener:Listener")
            .inputs.defaultActions[0].forward?.targetGroups.map((group) => group.weight);
        assert.deepStrictEqual(weights, [10, 90]);
    });

    it("reuses an existing VPC without creating one", async () => {
        const run = await runProgram("dev", {
            config: {
                [`${ns}:network.vpcId`]: "vpc-0123abcd",
                [`${ns}:network.publicSubnetIds`]: ["subnet-0000000a", "subnet-0000000b"],
                [`${ns}:network.privateSubnetIds`]: ["subnet-0000000c", "subnet-0000000d"],
            },
        });
        assert.deepStrictEqual(run.ofType("awsx:ec2:Vpc"), []);
        assert.deepStrictEqual(
            run.one<pulumi.Unwrap<aws.lb.LoadBalancerArgs>>("aws:lb/loadBalancer:LoadBalancer").inputs.subnets,
            ["subnet-0000000a", "subnet-0000000b"],
        );
        assert.deepStrictEqual(serviceFor(run, "ARM64").inputs.networkConfiguration?.subnets, [
            "subnet-0000000c",
            "subnet-0000000d",
        ]);
        for (const group of run.ofType("aws:lb/targetGroup:TargetGroup")) {
            assert.strictEqual(group.inputs.vpcId, "vpc-0123abcd");
        }
    });
});

describe("runtime component arguments", () => {
    it("rejects a Lambda image referenced by tag before registering anything", () => {
        assert.throws(
            () =>
                new ArmLambda("bad", {
                    imageUri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest",
                    repositoryName: "app",
                }),
            /ArmLambda: imageUri must be pinned by digest \(<repository>@sha256:<digest>\); got ".*app:latest"/,
        );
    });

    it("rejects an App Runner image by tag", () => {
        assert.throws(
            () => new AppRunnerService("bad", { image: "repo:v1", repositoryArn: "arn" }),
            /AppRunnerService: image must be pinned by digest/,
        );
    });

    it("rejects a Fargate image referenced by tag before registering anything", () => {
        assert.throws(
            () =>
                new FargateServicePair("bad", {
                    vpcId: "vpc-1",
                    publicSubnetIds: [],
                    privateSubnetIds: [],
                    image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:release-1",
                    repositoryArn: "arn",
                }),
            /FargateServicePair: image must be pinned by digest \(<repository>@sha256:<digest>\); got ".*app:release-1"/,
        );
    });
});
