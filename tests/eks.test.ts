import * as assert from "assert";
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EksGraviton } from "../components/eksGraviton";
import { eksRun, mockAccountId, ProgramRun, runProgram, runProgramExpectingError, stackRun, withEks } from "./harness";

type ClusterInputs = pulumi.Unwrap<aws.eks.ClusterArgs>;
type NodeGroupInputs = pulumi.Unwrap<aws.eks.NodeGroupArgs>;

interface Container {
    name: string;
    image: string;
    ports: { name: string; containerPort: number }[];
    env: { name: string; value: string }[];
    readinessProbe: { httpGet: { path: string; port: number } };
    livenessProbe: { httpGet: { path: string; port: number } };
    resources: { requests: Record<string, string>; limits?: Record<string, string> };
}

interface DeploymentInputs {
    spec: {
        replicas: number;
        selector: { matchLabels: Record<string, string> };
        template: {
            metadata: { labels: Record<string, string> };
            spec: { nodeSelector: Record<string, string>; containers: Container[] };
        };
    };
}

interface ServiceInputs {
    spec: { type: string; selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
}

interface Kubeconfig {
    clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
    users: { user: { exec: { apiVersion: string; command: string; args: string[] } } }[];
}

const ns = "graviton-multiarch";

/** The URN of a resource an option names (a provider, a dependency), as the engine records it. */
const urnOf = (resource: pulumi.Resource | pulumi.Input<pulumi.Resource> | undefined) =>
    new Promise<string>((resolve) => (resource as pulumi.Resource).urn.apply(resolve));
const dependsOn = (run: ProgramRun, type: string, name: string) =>
    Promise.all(((run.one(type, name).options.dependsOn ?? []) as pulumi.Resource[]).map(urnOf));
const urn = (run: ProgramRun, type: string, name: string) =>
    `urn:pulumi:${run.stack}::${ns}::${ns}:eks:EksGraviton$${type}::${name}`;

const eksTypes = (run: ProgramRun) =>
    run.resources
        .map((resource) => resource.type)
        .filter((type) => /^aws:eks\/|^kubernetes:|^pulumi:providers:kubernetes$|:eks:EksGraviton$/.test(type));

describe("EKS switched off (both stack files)", () => {
    for (const stack of ["dev", "prod"]) {
        it(`${stack}: registers nothing of EKS and no Kubernetes provider, and its outputs are null`, async () => {
            const run = await stackRun(stack);
            assert.deepStrictEqual(eksTypes(run), []);
            // null, not undefined: an undefined stack output makes the engine warn on every update.
            assert.strictEqual(run.outputs.eksUrl, null);
            assert.strictEqual(run.outputs.eksClusterName, null);
        });
    }
});

for (const stack of ["dev", "prod"]) {
    describe(`EKS on Graviton (${stack}, eks.enabled true)`, () => {
        let run: ProgramRun;
        before(async () => {
            run = await eksRun(stack);
        });

        it("runs one cluster in the network's private subnets, authenticated through access entries only", () => {
            const cluster = run.one<ClusterInputs>("aws:eks/cluster:Cluster");
            assert.deepStrictEqual(cluster.inputs.vpcConfig?.subnetIds, [
                "subnet-0bbb000000000001a",
                "subnet-0bbb000000000002b",
            ]);
            assert.deepStrictEqual(cluster.inputs.accessConfig, {
                authenticationMode: "API",
                bootstrapClusterCreatorAdminPermissions: false,
            });
            assert.strictEqual(cluster.inputs.version, "1.36");
            assert.strictEqual(cluster.inputs.name, `${ns}-${stack}-eks`);
            assert.deepStrictEqual(cluster.inputs.upgradePolicy, { supportType: "STANDARD" });
            assert.strictEqual(cluster.inputs.bootstrapSelfManagedAddons, false);
            assert.strictEqual(run.outputs.eksClusterName, `${ns}-${stack}-eks`);
        });

        it("makes the deployer's IAM role, not its STS session, the cluster admin", () => {
            // The mock caller is a session of the role graviton-deploy (harness/mocksEks.ts).
            const role = `arn:aws:iam::${mockAccountId}:role/graviton-deploy`;
            const entry = run.one<pulumi.Unwrap<aws.eks.AccessEntryArgs>>("aws:eks/accessEntry:AccessEntry");
            assert.deepStrictEqual(
                [entry.inputs.principalArn, entry.inputs.type, entry.inputs.clusterName],
                [role, "STANDARD", `${ns}-${stack}-eks`],
            );
            const association = run.one<pulumi.Unwrap<aws.eks.AccessPolicyAssociationArgs>>(
                "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
            );
            assert.deepStrictEqual(association.inputs, {
                clusterName: `${ns}-${stack}-eks`,
                principalArn: role,
                policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
                accessScope: { type: "cluster" },
            });
        });

        it("runs a Graviton managed node group: an arm64 AMI type, t4g.medium, 1 to 3 nodes, 2 desired", () => {
            const group = run.one<NodeGroupInputs>("aws:eks/nodeGroup:NodeGroup");
            assert.strictEqual(group.inputs.amiType, "AL2023_ARM_64_STANDARD");
            assert.deepStrictEqual(group.inputs.instanceTypes, ["t4g.medium"]);
            assert.deepStrictEqual(group.inputs.scalingConfig, { minSize: 1, desiredSize: 2, maxSize: 3 });
            assert.strictEqual(group.inputs.capacityType, "ON_DEMAND");
            assert.deepStrictEqual(group.inputs.subnetIds, ["subnet-0bbb000000000001a", "subnet-0bbb000000000002b"]);
        });

        it("gives the cluster and the nodes the AWS-managed policies EKS documents, each role one principal", () => {
            const attached = (role: string) =>
                run
                    .ofType<{ role: string; policyArn: string }>("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                    .filter((attachment) => attachment.inputs.role === run.one("aws:iam/role:Role", role).state.name)
                    .map((attachment) => attachment.inputs.policyArn)
                    .sort();
            assert.deepStrictEqual(attached("eks-cluster"), ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]);
            assert.deepStrictEqual(attached("eks-nodes"), [
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
                "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
            ]);
            const trusted = (role: string) =>
                JSON.parse(String(run.one("aws:iam/role:Role", role).inputs.assumeRolePolicy)).Statement[0].Principal
                    .Service;
            assert.deepStrictEqual(
                [trusted("eks-cluster"), trusted("eks-nodes")],
                ["eks.amazonaws.com", "ec2.amazonaws.com"],
            );
            const cluster = run.one<ClusterInputs>("aws:eks/cluster:Cluster");
            assert.strictEqual(cluster.inputs.roleArn, run.one("aws:iam/role:Role", "eks-cluster").state.arn);
            const group = run.one<NodeGroupInputs>("aws:eks/nodeGroup:NodeGroup");
            assert.strictEqual(group.inputs.nodeRoleArn, run.one("aws:iam/role:Role", "eks-nodes").state.arn);
        });

        it("installs vpc-cni and kube-proxy before the nodes and coredns once they exist", async () => {
            const addons = run.ofType<{ addonName: string }>("aws:eks/addon:Addon").map((a) => a.inputs.addonName);
            assert.deepStrictEqual(addons.sort(), ["coredns", "kube-proxy", "vpc-cni"]);
            const nodeGroupDeps = await dependsOn(run, "aws:eks/nodeGroup:NodeGroup", "eks-graviton");
            for (const addon of ["eks-vpc-cni", "eks-kube-proxy"]) {
                assert.ok(nodeGroupDeps.includes(urn(run, "aws:eks/addon:Addon", addon)), addon);
            }
            assert.deepStrictEqual(await dependsOn(run, "aws:eks/addon:Addon", "eks-coredns"), [
                urn(run, "aws:eks/nodeGroup:NodeGroup", "eks-graviton"),
            ]);
        });

        it("sends the control-plane logs to a log group with retention in prod only", async () => {
            const cluster = run.one<ClusterInputs>("aws:eks/cluster:Cluster");
            const groups = run
                .ofType<{ name?: string; retentionInDays?: number }>("aws:cloudwatch/logGroup:LogGroup")
                .filter((group) => group.inputs.name === `/aws/eks/${ns}-${stack}-eks/cluster`);
            if (stack === "prod") {
                assert.deepStrictEqual(cluster.inputs.enabledClusterLogTypes, [
                    "api",
                    "audit",
                    "authenticator",
                    "controllerManager",
                    "scheduler",
                ]);
                assert.deepStrictEqual(
                    groups.map((group) => group.inputs.retentionInDays),
                    [30],
                );
                // Created first: EKS would otherwise create the group itself, keeping logs forever.
                assert.ok(
                    (await dependsOn(run, "aws:eks/cluster:Cluster", "eks")).includes(
                        urn(run, "aws:cloudwatch/logGroup:LogGroup", "eks-control-plane"),
                    ),
                );
            } else {
                assert.deepStrictEqual(cluster.inputs.enabledClusterLogTypes, []);
                assert.deepStrictEqual(groups, []);
            }
        });

        it("talks to the cluster through a provider built from it, with a token from aws eks get-token", async () => {
            const cluster = run.one("aws:eks/cluster:Cluster");
            const provider = run.one<{ kubeconfig: string }>("pulumi:providers:kubernetes");
            const kubeconfig = JSON.parse(provider.inputs.kubeconfig) as Kubeconfig;
            assert.strictEqual(kubeconfig.clusters[0].cluster.server, cluster.state.endpoint);
            assert.strictEqual(
                kubeconfig.clusters[0].cluster["certificate-authority-data"],
                (cluster.state.certificateAuthority as { data: string }).data,
            );
            const { exec } = kubeconfig.users[0].user;
            assert.strictEqual(exec.apiVersion, "client.authentication.k8s.io/v1beta1");
            assert.deepStrictEqual(
                [exec.command, ...exec.args],
                [
                    "aws",
                    "eks",
                    "get-token",
                    "--cluster-name",
                    `${ns}-${stack}-eks`,
                    "--region",
                    "us-east-1",
                    "--output",
                    "json",
                ],
            );
            const providerUrn = `urn:pulumi:${stack}::${ns}::${ns}:eks:EksGraviton$pulumi:providers:kubernetes::eks-k8s`;
            for (const type of ["kubernetes:apps/v1:Deployment", "kubernetes:core/v1:Service"]) {
                assert.strictEqual(await urnOf(run.one(type).options.provider), providerUrn, type);
            }
            // Not before the deployer may use the API, and not before there are nodes to run on.
            const deploymentDeps = await dependsOn(run, "kubernetes:apps/v1:Deployment", "eks-app");
            for (const [type, name] of [
                ["aws:eks/accessPolicyAssociation:AccessPolicyAssociation", "eks-deployer"],
                ["aws:eks/nodeGroup:NodeGroup", "eks-graviton"],
            ]) {
                assert.ok(deploymentDeps.includes(urn(run, type, name)), name);
            }
        });

        it("deploys the image index itself to arm64 nodes, probed on /healthz, with resource requests", () => {
            const deployment = run.one<DeploymentInputs>("kubernetes:apps/v1:Deployment");
            const pod = deployment.inputs.spec.template.spec;
            assert.deepStrictEqual(pod.nodeSelector, { "kubernetes.io/arch": "arm64" });
            const [container, ...others] = pod.containers;
            assert.deepStrictEqual(others, []);
            assert.strictEqual(container.image, run.outputs.indexRef);
            assert.match(container.image, /@sha256:[0-9a-f]{64}$/);
            for (const probe of [container.readinessProbe, container.livenessProbe]) {
                assert.deepStrictEqual(probe.httpGet, { path: "/healthz", port: 8080 });
            }
            assert.deepStrictEqual(container.ports, [{ name: "http", containerPort: 8080 }]);
            assert.deepStrictEqual(container.env, [{ name: "PORT", value: "8080" }]);
            assert.deepStrictEqual(container.resources.requests, { cpu: "100m", memory: "128Mi" });
            assert.strictEqual(deployment.inputs.spec.replicas, 2);
            assert.deepStrictEqual(
                deployment.inputs.spec.selector.matchLabels,
                deployment.inputs.spec.template.metadata.labels,
            );
        });

        it("puts a LoadBalancer Service in front of the pods and exports its URL", () => {
            const deployment = run.one<DeploymentInputs>("kubernetes:apps/v1:Deployment");
            const service = run.one<ServiceInputs>("kubernetes:core/v1:Service");
            assert.strictEqual(service.inputs.spec.type, "LoadBalancer");
            assert.deepStrictEqual(service.inputs.spec.selector, deployment.inputs.spec.template.metadata.labels);
            assert.deepStrictEqual(
                service.inputs.spec.ports.map((port) => [port.port, port.targetPort]),
                [[80, "http"]],
            );
            const status = service.state.status as { loadBalancer: { ingress: { hostname: string }[] } };
            assert.strictEqual(run.outputs.eksUrl, `http://${status.loadBalancer.ingress[0].hostname}`);
            assert.match(String(run.outputs.eksUrl), /^http:\/\/a[0-9a-f]{31}-\d+\.us-east-1\.elb\.amazonaws\.com$/);
        });
    });
}

describe("EKS configuration", () => {
    it("takes the instance types and sizes from config", async () => {
        const run = await runProgram("dev", {
            config: {
                ...withEks,
                [`${ns}:eks.instanceTypes`]: ["m7g.large", "c7g.large"],
                [`${ns}:eks.minSize`]: 2,
                [`${ns}:eks.desiredSize`]: 3,
                [`${ns}:eks.maxSize`]: 6,
                [`${ns}:eks.replicas`]: 4,
                [`${ns}:eks.kubernetesVersion`]: "1.35",
            },
        });
        const group = run.one<NodeGroupInputs>("aws:eks/nodeGroup:NodeGroup");
        assert.deepStrictEqual(group.inputs.instanceTypes, ["m7g.large", "c7g.large"]);
        assert.deepStrictEqual(group.inputs.scalingConfig, { minSize: 2, desiredSize: 3, maxSize: 6 });
        assert.strictEqual(run.one<DeploymentInputs>("kubernetes:apps/v1:Deployment").inputs.spec.replicas, 4);
        assert.strictEqual(run.one<ClusterInputs>("aws:eks/cluster:Cluster").inputs.version, "1.35");
    });

    it("refuses x86 instance types before anything is registered, naming the key and what is allowed", async () => {
        const { error, resources } = await runProgramExpectingError("dev", {
            config: { ...withEks, [`${ns}:eks.instanceTypes`]: ["m7g.large", "m7i.large"] },
        });
        assert.match(
            error.message,
            /graviton-multiarch:eks\.instanceTypes = \["m7g\.large","m7i\.large"\]: m7i\.large is x86_64: expected arm64 \(Graviton\) instance types such as t4g\.medium or m7g\.large, of the arm64 families a1, m6g, .*t4g/,
        );
        assert.deepStrictEqual(resources, []);
    });

    it("refuses a desired size outside min and max", async () => {
        const { error, resources } = await runProgramExpectingError("dev", {
            config: { ...withEks, [`${ns}:eks.minSize`]: 3, [`${ns}:eks.maxSize`]: 2 },
        });
        assert.match(error.message, /graviton-multiarch:eks\.minSize = 3: must not exceed desiredSize \(2\)/);
        assert.doesNotMatch(error.message, /eks\.maxSize/);
        assert.deepStrictEqual(resources, []);
    });

    it("the component itself refuses an unpinned image, naming the argument", () => {
        assert.throws(
            () => new EksGraviton("x", { privateSubnetIds: ["subnet-1", "subnet-2"], image: "repo:latest" }),
            /EksGraviton: image must be pinned by digest/,
        );
    });
});
