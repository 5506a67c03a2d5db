// An EKS deployment as the AWS APIs and the app describe it, for verify's EKS checks. Shaped as the services answer:
// EKS ListNodegroups / DescribeNodegroup (Nodegroup: amiType, instanceTypes, resources.autoScalingGroups), EC2 Auto
// Scaling DescribeAutoScalingGroups (Instances with LifecycleState), EC2 DescribeInstances (Reservations[].Instances[]
// with Architecture), and the app's own `GET /` (app/src/server.ts, RuntimeInfo). The mocks live here, once per
// process, because aws-sdk-client-mock stubs a client class's prototype.
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeNodegroupCommand, EKSClient, ListNodegroupsCommand } from "@aws-sdk/client-eks";
import { mockClient } from "aws-sdk-client-mock";
import type { RuntimeInfo } from "../../app/src/server";
import type { HttpGet, HttpResponse } from "../../commands/verify";

export const eksMock = mockClient(EKSClient);
export const autoScalingMock = mockClient(AutoScalingClient);
export const ec2Mock = mockClient(EC2Client);

export const CLUSTER = "graviton-multiarch-dev-eks";
export const EKS_URL = "http://a4001549bcceb6f55c18c1d8fc2a7ec2-1723572553.us-east-1.elb.amazonaws.com";

export interface NodeGroupModel {
    name: string;
    amiType?: string;
    instanceTypes: string[];
    /** Each node's EC2 architecture and lifecycle state in the group's Auto Scaling group. */
    nodes: { architecture: string; lifecycleState?: string }[];
}

export const gravitonNodeGroup = (): NodeGroupModel => ({
    name: "eks-graviton-1a2b3c4",
    amiType: "AL2023_ARM_64_STANDARD",
    instanceTypes: ["t4g.medium"],
    nodes: [{ architecture: "arm64" }, { architecture: "arm64" }],
});

const instanceId = (group: string, index: number) => `i-0${Buffer.from(group).toString("hex").slice(0, 12)}${index}`;

/** Mocks the cluster's node groups, their Auto Scaling groups and instances; a list per page of ListNodegroups. */
export function mockEksAccount(pages: NodeGroupModel[][] = [[gravitonNodeGroup()]]): void {
    eksMock.reset();
    autoScalingMock.reset();
    ec2Mock.reset();
    pages.forEach((page, index) => {
        const input = index === 0 ? { clusterName: CLUSTER, nextToken: undefined } : { nextToken: `page-${index}` };
        eksMock.on(ListNodegroupsCommand, input).resolves({
            nodegroups: page.map((group) => group.name),
            nextToken: index + 1 < pages.length ? `page-${index + 1}` : undefined,
        });
    });
    const groups = pages.flat();
    for (const group of groups) {
        eksMock.on(DescribeNodegroupCommand, { clusterName: CLUSTER, nodegroupName: group.name }).resolves({
            nodegroup: {
                nodegroupName: group.name,
                clusterName: CLUSTER,
                status: "ACTIVE",
                amiType: group.amiType as never,
                instanceTypes: group.instanceTypes,
                resources: { autoScalingGroups: [{ name: `eks-${group.name}` }] },
            },
        });
    }
    autoScalingMock.on(DescribeAutoScalingGroupsCommand).callsFake((input: { AutoScalingGroupNames?: string[] }) => ({
        AutoScalingGroups: groups
            .filter((group) => input.AutoScalingGroupNames?.includes(`eks-${group.name}`))
            .map((group) => ({
                AutoScalingGroupName: `eks-${group.name}`,
                MinSize: 1,
                MaxSize: 3,
                DesiredCapacity: group.nodes.length,
                DefaultCooldown: 300,
                AvailabilityZones: ["us-east-1a", "us-east-1b"],
                HealthCheckType: "EC2",
                CreatedTime: new Date(0),
                Instances: group.nodes.map((node, index) => ({
                    InstanceId: instanceId(group.name, index),
                    InstanceType: group.instanceTypes[0],
                    AvailabilityZone: "us-east-1a",
                    LifecycleState: (node.lifecycleState ?? "InService") as never,
                    HealthStatus: "Healthy",
                    ProtectedFromScaleIn: false,
                })),
            })),
    }));
    ec2Mock.on(DescribeInstancesCommand).callsFake((input: { InstanceIds?: string[] }) => ({
        Reservations: groups.map((group) => ({
            Instances: group.nodes
                .map((node, index) => ({
                    InstanceId: instanceId(group.name, index),
                    InstanceType: group.instanceTypes[0] as never,
                    Architecture: node.architecture as never,
                }))
                .filter((instance) => input.InstanceIds?.includes(instance.InstanceId)),
        })),
    }));
}

function respond(status: number, body: string): HttpResponse {
    return {
        status,
        headers: { get: () => null },
        arrayBuffer: async () => {
            const bytes = Buffer.from(body);
            return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
        },
    };
}

/**
 * The Service's load balancer in front of pods that answer as the app does, round robin; every request is recorded.
 * Other URLs go to `fallback` (the registry of the image checks).
 */
export function podsAnswering(
    pods: Partial<RuntimeInfo>[],
    fallback?: HttpGet,
    status = 200,
): { get: HttpGet; requests: string[] } {
    const requests: string[] = [];
    let next = 0;
    const get: HttpGet = async (url, headers) => {
        if (!url.startsWith(EKS_URL)) {
            return fallback ? fallback(url, headers) : respond(404, "");
        }
        requests.push(url);
        const pod = pods[next++ % pods.length];
        // What the app answers on GET / in a pod (app/src/server.ts, RuntimeInfo), with the test's changes on top.
        const answered: RuntimeInfo = {
            architecture: "arm64",
            cpu: "AWS Graviton (arm64)",
            platform: "linux",
            node: "v22.0.0",
            hostname: "eks-app-5d9c7b8f6-abcde",
            uptime: 12.5,
            runtime: "kubernetes",
            runtimeName: "Kubernetes (Amazon EKS or another cluster)",
        };
        const info = { ...answered, ...pod };
        return respond(status, JSON.stringify(info));
    };
    return { get, requests };
}
