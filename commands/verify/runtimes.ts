/**
 * The checks of each runtime against the AWS account: the Lambda function, the ECS services' running tasks and the
 * App Runner service. Each takes its client as an argument, so tests run it against mocks.
 */
import { AppRunnerClient, DescribeServiceCommand, ListServicesCommand } from "@aws-sdk/client-apprunner";
import {
    DescribeTaskDefinitionCommand,
    DescribeTasksCommand,
    ECSClient,
    ListTasksCommand,
    TaskDefinition,
} from "@aws-sdk/client-ecs";
import { GetFunctionCommand, GetFunctionConfigurationCommand, LambdaClient } from "@aws-sdk/client-lambda";

import { Check, fail, pass } from "./checks";
import { ARCHITECTURES } from "../../policy-pack/architecture";
import { LAMBDA_DEFAULT_ARCHITECTURE } from "../../policy-pack/graviton";

/**
 * The function must be arm64 (Architectures defaults to ["x86_64"] when unset) and its
 * image must resolve to the arm64 child: Lambda cannot take an index
 * (docs/platform-facts.md, "Image architectures per runtime").
 */
export async function checkLambda(
    lambda: Pick<LambdaClient, "send">,
    functionName: string,
    arm64Digest: string,
): Promise<Check[]> {
    const checks: Check[] = [];
    const configuration = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    const architectures = configuration.Architectures ?? [LAMBDA_DEFAULT_ARCHITECTURE];
    checks.push(
        architectures.length === 1 && architectures[0] === "arm64"
            ? pass(`Lambda ${functionName} architecture`, "arm64")
            : fail(
                  `Lambda ${functionName} architecture`,
                  `Architectures is [${architectures.join(", ")}], expected [arm64]`,
              ),
    );
    // GetFunction's Code.ResolvedImageUri is the image Lambda actually deployed, pinned
    // to a digest even when ImageUri named a tag.
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
    const resolved = fn.Code?.ResolvedImageUri ?? fn.Code?.ImageUri;
    const resolvedDigest = resolved?.includes("@") ? resolved.slice(resolved.lastIndexOf("@") + 1) : undefined;
    checks.push(
        resolvedDigest === arm64Digest
            ? pass(`Lambda ${functionName} image`, `runs the arm64 child ${arm64Digest}`)
            : fail(
                  `Lambda ${functionName} image`,
                  `resolved image is ${resolved ?? "(none)"}, expected the arm64 child ${arm64Digest}`,
              ),
    );
    return checks;
}

/** ECS's two names for a CPU architecture: the task definition's and the task attribute's. */
export const ECS_ARCH = {
    x86: { runtimePlatform: ARCHITECTURES.x86_64.ecs, taskAttribute: ARCHITECTURES.x86_64.lambda },
    arm64: { runtimePlatform: ARCHITECTURES.arm64.ecs, taskAttribute: ARCHITECTURES.arm64.lambda },
} as const;

/**
 * Every RUNNING task of the service must be on `arch`, judged two ways:
 * - the task definition's `runtimePlatform.cpuArchitecture` (X86_64 | ARM64), the
 *   documented field that decides where Fargate places the task (ECS API reference,
 *   RuntimePlatform);
 * - the task's own `attributes` entry `ecs.cpu-architecture` (x86_64 | arm64), which
 *   DescribeTasks returns for Fargate tasks. The API reference lists `attributes` on
 *   Task without naming its keys, so a missing entry is reported, not failed.
 * The task definition must also use the image index (ECS picks the child itself).
 */
export async function checkEcsService(
    ecs: Pick<ECSClient, "send">,
    cluster: string,
    serviceName: string,
    arch: keyof typeof ECS_ARCH,
    indexRef: string,
): Promise<Check[]> {
    const expected = ECS_ARCH[arch];
    const name = `ECS ${serviceName} tasks`;
    const taskArns: string[] = [];
    let nextToken: string | undefined;
    do {
        const page = await ecs.send(
            new ListTasksCommand({ cluster, serviceName, desiredStatus: "RUNNING", nextToken }),
        );
        taskArns.push(...(page.taskArns ?? []));
        nextToken = page.nextToken;
    } while (nextToken);
    if (taskArns.length === 0) {
        return [fail(name, `no RUNNING tasks in cluster ${cluster}: nothing to check`)];
    }

    const definitions = new Map<string, TaskDefinition>();
    const problems: string[] = [];
    let described = 0;
    let attributeSeen = 0;
    for (let start = 0; start < taskArns.length; start += 100) {
        // At most 100 tasks per DescribeTasks call (ECS API reference).
        const page = await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns.slice(start, start + 100) }));
        for (const failure of page.failures ?? []) {
            problems.push(`${failure.arn ?? "task"}: ${failure.reason ?? "describe failed"}`);
        }
        for (const task of page.tasks ?? []) {
            described++;
            const taskId = (task.taskArn ?? "?").split("/").pop();
            const attribute = task.attributes?.find((entry) => entry.name === "ecs.cpu-architecture")?.value;
            if (attribute !== undefined) {
                attributeSeen++;
                if (attribute !== expected.taskAttribute) {
                    problems.push(`task ${taskId} reports ecs.cpu-architecture=${attribute}`);
                }
            }
            const definitionArn = task.taskDefinitionArn;
            if (!definitionArn) {
                problems.push(`task ${taskId} has no task definition ARN`);
                continue;
            }
            let definition = definitions.get(definitionArn);
            if (!definition) {
                definition = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: definitionArn })))
                    .taskDefinition;
                if (!definition) {
                    problems.push(`task definition ${definitionArn} not found`);
                    continue;
                }
                definitions.set(definitionArn, definition);
            }
            const cpuArchitecture = definition.runtimePlatform?.cpuArchitecture ?? "(unset: X86_64)";
            if (cpuArchitecture !== expected.runtimePlatform) {
                problems.push(
                    `task ${taskId} runs task definition ${definitionArn.split("/").pop()} with cpuArchitecture ${cpuArchitecture}`,
                );
            }
        }
    }
    const checks: Check[] = [];
    if (problems.length > 0) {
        checks.push(fail(name, `expected ${expected.runtimePlatform}: ${problems.join("; ")}`));
    } else if (described === 0) {
        checks.push(fail(name, `ListTasks named ${taskArns.length} tasks but DescribeTasks returned none`));
    } else {
        const attributeNote =
            attributeSeen === described
                ? `, ecs.cpu-architecture=${expected.taskAttribute}`
                : `; ${described - attributeSeen} without an ecs.cpu-architecture attribute`;
        checks.push(pass(name, `${described} running, task definition ${expected.runtimePlatform}${attributeNote}`));
    }
    const images = [...definitions.values()].flatMap((definition) =>
        (definition.containerDefinitions ?? []).map((container) => container.image ?? ""),
    );
    checks.push(
        images.length > 0 && images.every((image) => image === indexRef)
            ? pass(`ECS ${serviceName} image`, "the index (indexRef)")
            : fail(
                  `ECS ${serviceName} image`,
                  `task definitions use [${[...new Set(images)].join(", ")}], expected indexRef ${indexRef}`,
              ),
    );
    return checks;
}

/**
 * App Runner runs amd64 only, so its service must use exactly amd64Ref
 * (docs/platform-facts.md, "Image architectures per runtime"). The service ARN is not a stack
 * output: the service is found by its URL.
 */
export async function checkAppRunner(
    apprunner: Pick<AppRunnerClient, "send">,
    appRunnerUrl: string,
    amd64Ref: string,
): Promise<Check[]> {
    const host = new URL(appRunnerUrl.includes("://") ? appRunnerUrl : `https://${appRunnerUrl}`).host;
    const name = `App Runner ${host}`;
    let serviceArn: string | undefined;
    let nextToken: string | undefined;
    do {
        const page = await apprunner.send(new ListServicesCommand({ NextToken: nextToken }));
        serviceArn = page.ServiceSummaryList?.find((summary) => summary.ServiceUrl === host)?.ServiceArn;
        nextToken = page.NextToken;
    } while (!serviceArn && nextToken);
    if (!serviceArn) {
        return [fail(name, `no App Runner service in this region has the URL ${host}`)];
    }
    const described = await apprunner.send(new DescribeServiceCommand({ ServiceArn: serviceArn }));
    const identifier = described.Service?.SourceConfiguration?.ImageRepository?.ImageIdentifier;
    return [
        identifier === amd64Ref
            ? pass(`${name} image`, "the amd64 child (amd64Ref)")
            : fail(`${name} image`, `ImageIdentifier is ${identifier ?? "(none)"}, expected amd64Ref ${amd64Ref}`),
    ];
}
