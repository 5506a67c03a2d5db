import * as assert from "assert";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EKSClient } from "@aws-sdk/client-eks";
import { Check, checkEksNodes, checkEksPods, parseStackOutputs } from "../commands/verify";
import { CLUSTER, EKS_URL, gravitonNodeGroup, mockEksAccount, podsAnswering } from "./models/eksAccount";

const region = "us-east-1";
const nodes = () =>
    checkEksNodes(new EKSClient({ region }), new AutoScalingClient({ region }), new EC2Client({ region }), CLUSTER);
const failed = (checks: readonly Check[]) => checks.filter((check) => !check.ok).map((check) => check.detail);

describe("verify: EKS (AWS mocked)", () => {
    it("passes a Graviton node group whose running nodes are all arm64", async () => {
        mockEksAccount();
        const checks = await nodes();
        assert.deepStrictEqual(
            checks.map((check) => [check.name, check.ok, check.detail]),
            [
                [
                    "EKS node group eks-graviton-1a2b3c4 architecture",
                    true,
                    "amiType AL2023_ARM_64_STANDARD, instance types t4g.medium: arm64",
                ],
                [`EKS ${CLUSTER} nodes`, true, "2 in service, all arm64"],
            ],
        );
    });

    it("fails a node group on an x86_64 AMI type, or with an x86 instance type", async () => {
        mockEksAccount([[{ ...gravitonNodeGroup(), amiType: "AL2023_x86_64_STANDARD" }]]);
        assert.deepStrictEqual(failed(await nodes()), [
            "amiType AL2023_x86_64_STANDARD is x86_64; instance types [t4g.medium]; expected an ARM_64 AMI type and Graviton instance types",
        ]);
        mockEksAccount([[{ ...gravitonNodeGroup(), instanceTypes: ["t4g.medium", "m7i.large"] }]]);
        assert.deepStrictEqual(failed(await nodes()), [
            "amiType AL2023_ARM_64_STANDARD is arm64; instance types [t4g.medium, m7i.large] include m7i.large, not arm64; expected an ARM_64 AMI type and Graviton instance types",
        ]);
    });

    it("reads every page of node groups: an x86 group on the second page fails", async () => {
        const x86 = { name: "batch", amiType: "AL2023_x86_64_STANDARD", instanceTypes: ["m7i.large"], nodes: [] };
        mockEksAccount([[gravitonNodeGroup()], [x86]]);
        const checks = await nodes();
        assert.deepStrictEqual(
            checks.map((check) => [check.name, check.ok]),
            [
                ["EKS node group eks-graviton-1a2b3c4 architecture", true],
                ["EKS node group batch architecture", false],
                [`EKS ${CLUSTER} nodes`, true],
            ],
        );
    });

    it("fails a running node that EC2 reports as x86_64, and counts only in-service nodes", async () => {
        mockEksAccount([
            [
                {
                    ...gravitonNodeGroup(),
                    nodes: [
                        { architecture: "arm64" },
                        { architecture: "x86_64" },
                        { architecture: "x86_64", lifecycleState: "Terminating" },
                    ],
                },
            ],
        ]);
        const [, instances] = await nodes();
        assert.strictEqual(instances.ok, false);
        assert.match(instances.detail, /^expected every node on arm64: i-0[0-9a-f]+1 is x86_64$/);
    });

    it("fails a cluster with no node group, or whose node group has no node in service", async () => {
        mockEksAccount([[]]);
        assert.deepStrictEqual(failed(await nodes()), ["the cluster has no managed node group: nothing runs the pods"]);
        mockEksAccount([[{ ...gravitonNodeGroup(), nodes: [{ architecture: "arm64", lifecycleState: "Pending" }] }]]);
        assert.deepStrictEqual(failed(await nodes()), ["no in-service node in eks-eks-graviton-1a2b3c4"]);
    });

    it("asks the pods behind the Service which CPU they run on, several times", async () => {
        const pods = podsAnswering([{ hostname: "pod-a" }, { hostname: "pod-b" }]);
        const check = await checkEksPods(pods.get, EKS_URL);
        assert.deepStrictEqual([check.ok, check.detail], [true, "6 answers from 2 pod(s), all arm64 on kubernetes"]);
        assert.deepStrictEqual(pods.requests, Array(6).fill(`${EKS_URL}/`));
    });

    it("fails when a pod answers from x64, from outside Kubernetes, or not at all", async () => {
        const x64 = await checkEksPods(podsAnswering([{}, { architecture: "x64", hostname: "pod-x" }]).get, EKS_URL);
        assert.deepStrictEqual(
            [x64.ok, x64.detail],
            [false, "pod pod-x runs on x64 (kubernetes), expected arm64 on kubernetes"],
        );
        const elsewhere = await checkEksPods(podsAnswering([{ runtime: "ecs-fargate" }]).get, EKS_URL);
        assert.strictEqual(elsewhere.ok, false);
        const down = await checkEksPods(podsAnswering([{}], undefined, 503).get, EKS_URL);
        assert.deepStrictEqual([down.ok, down.detail], [false, "GET / answered 503"]);
    });

    it("reads the EKS outputs, null while EKS is off", () => {
        const base = {
            region,
            repositoryUrl: "r",
            imageTag: "t",
            indexRef: "i",
            amd64Ref: "a",
            arm64Ref: "b",
            lambdaFunctionName: "f",
            clusterName: "c",
            serviceNames: { x86: "x", arm64: "y" },
        };
        const off = parseStackOutputs({ ...base, eksClusterName: null, eksUrl: null });
        assert.deepStrictEqual([off.eksClusterName, off.eksUrl], [undefined, undefined]);
        const on = parseStackOutputs({ ...base, eksClusterName: CLUSTER, eksUrl: EKS_URL });
        assert.deepStrictEqual([on.eksClusterName, on.eksUrl], [CLUSTER, EKS_URL]);
        assert.throws(() => parseStackOutputs({ ...base, eksUrl: 80 }), /stack output "eksUrl" must be a string/);
    });
});
