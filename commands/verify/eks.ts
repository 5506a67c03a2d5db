/**
 * The checks of the EKS runtime against the AWS account: every managed node group of the cluster is arm64 by its AMI
 * type and instance types, every running node instance reports arm64, and the pods behind the Service answer that they
 * run on arm64 (docs/platform-facts.md, "Amazon EKS clusters"). Each takes its clients as arguments, so tests run it
 * against mocks.
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand, DescribeInstancesCommandOutput, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeNodegroupCommand, EKSClient, ListNodegroupsCommand } from "@aws-sdk/client-eks";

import { Check, fail, pass } from "./checks";
import { HttpGet } from "./registry";
import { ARCHITECTURES } from "../../policy-pack/architecture";
import { amiTypeArchitecture, instanceTypeArchitecture } from "../../policy-pack/graviton";

/** The node groups' AMI type and instance types, then the architecture EC2 reports for each running node. */
export async function checkEksNodes(
    eks: Pick<EKSClient, "send">,
    autoscaling: Pick<AutoScalingClient, "send">,
    ec2: Pick<EC2Client, "send">,
    clusterName: string,
): Promise<Check[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
        const page = await eks.send(new ListNodegroupsCommand({ clusterName, nextToken }));
        names.push(...(page.nodegroups ?? []));
        nextToken = page.nextToken;
    } while (nextToken);
    if (names.length === 0) {
        return [fail(`EKS ${clusterName} node groups`, "the cluster has no managed node group: nothing runs the pods")];
    }

    const checks: Check[] = [];
    const autoScalingGroups: string[] = [];
    for (const nodegroupName of names) {
        const { nodegroup } = await eks.send(new DescribeNodegroupCommand({ clusterName, nodegroupName }));
        const amiType = nodegroup?.amiType;
        const instanceTypes = nodegroup?.instanceTypes ?? [];
        const x86 = instanceTypes.filter((type) => instanceTypeArchitecture(type) !== "arm64");
        const amiArchitecture = amiTypeArchitecture(amiType);
        const name = `EKS node group ${nodegroupName} architecture`;
        checks.push(
            amiArchitecture === "arm64" && instanceTypes.length > 0 && x86.length === 0
                ? pass(name, `amiType ${amiType}, instance types ${instanceTypes.join(", ")}: arm64`)
                : fail(
                      name,
                      `amiType ${amiType ?? "(unset)"} is ${amiArchitecture}; instance types [${instanceTypes.join(", ")}]${x86.length > 0 ? ` include ${x86.join(", ")}, not arm64` : ""}; expected an ARM_64 AMI type and Graviton instance types`,
                  ),
        );
        autoScalingGroups.push(...(nodegroup?.resources?.autoScalingGroups ?? []).flatMap((group) => group.name ?? []));
    }
    checks.push(await checkNodeInstances(autoscaling, ec2, clusterName, autoScalingGroups));
    return checks;
}

/** Every in-service instance of the node groups' Auto Scaling groups must be arm64 as EC2 describes it. */
async function checkNodeInstances(
    autoscaling: Pick<AutoScalingClient, "send">,
    ec2: Pick<EC2Client, "send">,
    clusterName: string,
    autoScalingGroupNames: readonly string[],
): Promise<Check> {
    const name = `EKS ${clusterName} nodes`;
    const instanceIds: string[] = [];
    let nextToken: string | undefined;
    do {
        const page = await autoscaling.send(
            new DescribeAutoScalingGroupsCommand({
                AutoScalingGroupNames: [...autoScalingGroupNames],
                NextToken: nextToken,
            }),
        );
        for (const group of page.AutoScalingGroups ?? []) {
            for (const instance of group.Instances ?? []) {
                if (instance.LifecycleState === "InService" && instance.InstanceId !== undefined) {
                    instanceIds.push(instance.InstanceId);
                }
            }
        }
        nextToken = page.NextToken;
    } while (nextToken);
    if (instanceIds.length === 0) {
        return fail(name, `no in-service node in ${autoScalingGroupNames.join(", ") || "(no Auto Scaling group)"}`);
    }
    const architectures = new Map<string, string>();
    nextToken = undefined;
    do {
        const page: DescribeInstancesCommandOutput = await ec2.send(
            new DescribeInstancesCommand({ InstanceIds: instanceIds, NextToken: nextToken }),
        );
        for (const instance of (page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? [])) {
            architectures.set(instance.InstanceId ?? "?", instance.Architecture ?? "(none)");
        }
        nextToken = page.NextToken;
    } while (nextToken);
    // EC2 spells architectures as Lambda does: x86_64, arm64.
    const expected = ARCHITECTURES.arm64.lambda;
    const wrong = [...architectures].filter(([, architecture]) => architecture !== expected);
    const missing = instanceIds.filter((id) => !architectures.has(id));
    if (wrong.length > 0 || missing.length > 0) {
        const found = [
            ...wrong.map(([id, architecture]) => `${id} is ${architecture}`),
            ...missing.map((id) => `${id} not described`),
        ];
        return fail(name, `expected every node on ${expected}: ${found.join("; ")}`);
    }
    return pass(name, `${instanceIds.length} in service, all ${expected}`);
}

/** What the app answers on `GET /` (app/src/server.ts, describeRuntime). */
interface RuntimeAnswer {
    architecture?: string;
    runtime?: string;
    hostname?: string;
}

/**
 * Asks the app behind the Service which CPU it runs on, several times so that the load balancer reaches several pods:
 * a pod reports its own process's architecture, which is its node's (docs/platform-facts.md, "Amazon EKS clusters").
 */
export async function checkEksPods(get: HttpGet, url: string, requests = 6): Promise<Check> {
    const name = `EKS ${new URL(url).host} pods`;
    const expected = ARCHITECTURES.arm64.node;
    const pods = new Set<string>();
    for (let attempt = 0; attempt < requests; attempt++) {
        const response = await get(new URL("/", url).toString(), {});
        if (response.status !== 200) {
            return fail(name, `GET / answered ${response.status}`);
        }
        const answer = JSON.parse(Buffer.from(await response.arrayBuffer()).toString("utf8")) as RuntimeAnswer;
        if (answer.architecture !== expected || answer.runtime !== "kubernetes") {
            return fail(
                name,
                `pod ${answer.hostname ?? "?"} runs on ${answer.architecture ?? "?"} (${answer.runtime ?? "?"}), expected ${expected} on kubernetes`,
            );
        }
        pods.add(answer.hostname ?? "?");
    }
    return pass(name, `${requests} answers from ${pods.size} pod(s), all ${expected} on kubernetes`);
}
