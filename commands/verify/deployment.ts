/**
 * All of verify's checks of one deployment, in order: the image index in ECR, the Lambda function, both ECS
 * services and where the ARM one is placed, the ALB's listeners, the dashboard, the alarms and the ARM service's
 * deployment alarms, (when deployed) App Runner, Express Mode and EKS,
 * and what a switched-off Express Mode left in ECS. A missing credential stops the run; any other error fails its
 * check.
 */
import { AppRunnerClient } from "@aws-sdk/client-apprunner";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECRClient, GetAuthorizationTokenCommand } from "@aws-sdk/client-ecr";
import { ECSClient } from "@aws-sdk/client-ecs";
import { EKSClient } from "@aws-sdk/client-eks";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { LambdaClient } from "@aws-sdk/client-lambda";

import { Check, fail } from "./checks";
import { checkEksNodes, checkEksPods } from "./eks";
import { checkImageIndex } from "./imageIndex";
import { checkExpressLeftovers, leftoversCheckName } from "./leftovers";
import { checkAlarms, checkDashboard, checkDeploymentAlarms } from "./monitoring";
import { StackOutputs } from "./outputs";
import { fetchGet, HttpGet, parseImageRef } from "./registry";
import { checkAppRunner, checkEcsService, checkLambda } from "./runtimes";
import { checkArmPlacement, checkExpressService, checkListeners } from "./serving";

/** `Basic <token>` for the account's ECR registry; the token is base64 of `AWS:<password>`. */
export async function ecrAuthorization(ecr: Pick<ECRClient, "send">): Promise<string> {
    const answer = await ecr.send(new GetAuthorizationTokenCommand({}));
    const token = answer.authorizationData?.[0]?.authorizationToken;
    if (!token) {
        throw new Error("ECR GetAuthorizationToken returned no token");
    }
    return `Basic ${token}`;
}

export interface Clients {
    ecr: Pick<ECRClient, "send">;
    lambda: Pick<LambdaClient, "send">;
    ecs: Pick<ECSClient, "send">;
    apprunner: Pick<AppRunnerClient, "send">;
    eks: Pick<EKSClient, "send">;
    autoscaling: Pick<AutoScalingClient, "send">;
    ec2: Pick<EC2Client, "send">;
    elbv2: Pick<ElasticLoadBalancingV2Client, "send">;
    cloudwatch: Pick<CloudWatchClient, "send">;
    get: HttpGet;
}

/** Thrown when no AWS credentials are available: no check can say anything then. */
export class CredentialsError extends Error {}

function isCredentialsProblem(err: unknown): boolean {
    const name = (err as { name?: string }).name ?? "";
    const message = (err as { message?: string }).message ?? "";
    return (
        name === "CredentialsProviderError" ||
        /Could not load credentials|Unable to locate credentials|ExpiredToken/.test(message) ||
        name === "ExpiredTokenException"
    );
}

async function guarded(label: string, body: () => Promise<Check[]>): Promise<Check[]> {
    try {
        return await body();
    } catch (err) {
        if (isCredentialsProblem(err)) {
            throw new CredentialsError(
                `no usable AWS credentials (${(err as Error).message}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, for the account of the stack`,
            );
        }
        return [fail(label, `${(err as Error).name}: ${(err as Error).message}`)];
    }
}

export async function verifyDeployment(outputs: StackOutputs, clients: Clients): Promise<Check[]> {
    const checks: Check[] = [];
    const indexRef = parseImageRef(outputs.indexRef);
    const amd64 = parseImageRef(outputs.amd64Ref);
    const arm64 = parseImageRef(outputs.arm64Ref);
    if (!indexRef.digest || !amd64.digest || !arm64.digest) {
        return [fail("stack outputs", "indexRef, amd64Ref and arm64Ref must all be pinned by @sha256 digest")];
    }
    const indexDigest = indexRef.digest;
    const amd64Digest = amd64.digest;
    const arm64Digest = arm64.digest;

    checks.push(
        ...(await guarded("ECR index", async () => {
            const authorization = await ecrAuthorization(clients.ecr);
            const report = await checkImageIndex(
                clients.get,
                { baseUrl: `https://${indexRef.registry}`, authorization },
                indexRef.repository,
                indexDigest,
                {
                    childDigests: { "linux/amd64": amd64Digest, "linux/arm64": arm64Digest },
                },
            );
            return report.checks;
        })),
    );
    checks.push(
        ...(await guarded("Lambda", () => checkLambda(clients.lambda, outputs.lambdaFunctionName, arm64Digest))),
    );
    checks.push(
        ...(await guarded("ECS x86", () =>
            checkEcsService(clients.ecs, outputs.clusterName, outputs.serviceNames.x86, "x86", outputs.indexRef),
        )),
    );
    checks.push(
        ...(await guarded("ECS arm64", () =>
            checkEcsService(clients.ecs, outputs.clusterName, outputs.serviceNames.arm64, "arm64", outputs.indexRef),
        )),
    );
    const strategy = outputs.armCapacityProviderStrategy;
    if (strategy !== undefined) {
        checks.push(
            ...(await guarded("ECS arm64 placement", () =>
                checkArmPlacement(clients.ecs, outputs.clusterName, outputs.serviceNames.arm64, strategy),
            )),
        );
    }
    if (outputs.loadBalancerArn) {
        const arn = outputs.loadBalancerArn;
        checks.push(
            ...(await guarded("ALB listeners", () => checkListeners(clients.elbv2, arn, outputs.albCertificateArn))),
        );
    }
    if (outputs.dashboardName) {
        const dashboardName = outputs.dashboardName;
        checks.push(
            ...(await guarded("CloudWatch dashboard", async () => [
                await checkDashboard(clients.cloudwatch, dashboardName),
            ])),
        );
    }
    if (outputs.alarmNames) {
        const alarmNames = outputs.alarmNames;
        checks.push(
            ...(await guarded("CloudWatch alarms", async () => [await checkAlarms(clients.cloudwatch, alarmNames)])),
        );
        checks.push(
            ...(await guarded("ECS arm64 deployment alarms", async () => [
                await checkDeploymentAlarms(clients.ecs, outputs.clusterName, outputs.serviceNames.arm64, alarmNames),
            ])),
        );
    }
    if (outputs.appRunnerUrl) {
        const url = outputs.appRunnerUrl;
        checks.push(...(await guarded("App Runner", () => checkAppRunner(clients.apprunner, url, outputs.amd64Ref))));
    }
    if (outputs.eksClusterName) {
        const cluster = outputs.eksClusterName;
        checks.push(
            ...(await guarded("EKS nodes", () =>
                checkEksNodes(clients.eks, clients.autoscaling, clients.ec2, cluster),
            )),
        );
        // The load balancer's host name is an output once the Service has one; without it no pod can be asked.
        const url = outputs.eksUrl;
        checks.push(
            ...(url
                ? await guarded("EKS pods", async () => [await checkEksPods(clients.get, url)])
                : [fail("EKS pods", "stack output eksUrl is empty: the Service's load balancer has no host name")]),
        );
    }
    if (outputs.expressServiceArn) {
        const arn = outputs.expressServiceArn;
        checks.push(...(await guarded("Express Mode", () => checkExpressService(clients.ecs, arn, outputs.amd64Ref))));
    }
    checks.push(...(await guarded(leftoversCheckName, () => checkExpressLeftovers(clients.ecs, outputs))));
    return checks;
}

/** The real clients, for the stack's region. */
export function awsClients(region: string): Clients {
    return {
        ecr: new ECRClient({ region }),
        lambda: new LambdaClient({ region }),
        ecs: new ECSClient({ region }),
        apprunner: new AppRunnerClient({ region }),
        eks: new EKSClient({ region }),
        autoscaling: new AutoScalingClient({ region }),
        ec2: new EC2Client({ region }),
        elbv2: new ElasticLoadBalancingV2Client({ region }),
        cloudwatch: new CloudWatchClient({ region }),
        get: fetchGet,
    };
}
