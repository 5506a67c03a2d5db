import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GRAVITON_FAMILY_NAMES, SUGGESTED_ARM64_AMI_TYPE, instanceTypeArchitecture } from "../policy-pack/graviton";
import { kubeconfigFor, IndexWorkload, indexWorkload } from "./eksWorkload";
import { awsManagedPolicyArn, requirePolicyArn, serviceRoleArgs, serviceRoleOfKind } from "./iam";
import { requireDigestPinned } from "./imageRef";
import { componentType } from "./project";
import { checkArguments, matching, Problem, Rule, wholeNumber } from "./rules";

export interface EksGravitonArgs {
    /** The cluster's network interfaces and the nodes go here: no public IPs, egress through NAT. */
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The multi-arch image index, pinned by digest; each node pulls the child for its CPU, arm64 here. */
    readonly image: pulumi.Input<string>;
    readonly containerPort?: number;
    /** `1.<minor>`, a version EKS offers (docs/platform-facts.md, "Amazon EKS clusters"). */
    readonly kubernetesVersion?: string;
    /** Graviton instance types; EKS launches them in this order of preference. */
    readonly instanceTypes?: readonly string[];
    readonly minSize?: number;
    readonly desiredSize?: number;
    readonly maxSize?: number;
    /** Pods of the Deployment. */
    readonly replicas?: number;
    /** Sends the five control-plane log types to CloudWatch Logs. */
    readonly controlPlaneLogging?: boolean;
    /** Retention of the control-plane log group, when logging is on. */
    readonly logRetentionDays?: number;
    /**
     * The stack's permissions boundary, for the node role; the cluster role is then bounded by its own AWS managed
     * policy (docs/platform-facts.md, "Service roles under the boundary").
     */
    readonly permissionsBoundaryArn?: pulumi.Input<string>;
}

export type EksGravitonSettings = Required<
    Omit<EksGravitonArgs, "privateSubnetIds" | "image" | "permissionsBoundaryArn">
>;

/** What a stack gets when it sets nothing; config/ takes its defaults from here. */
export const eksGravitonDefaults: Readonly<EksGravitonSettings> = {
    containerPort: 8080,
    // In EKS standard support since 2026-06 (docs/platform-facts.md, "Amazon EKS clusters").
    kubernetesVersion: "1.36",
    instanceTypes: ["t4g.medium"],
    minSize: 1,
    desiredSize: 2,
    maxSize: 3,
    replicas: 2,
    controlPlaneLogging: false,
    logRetentionDays: 7,
};

/** Every control-plane log type EKS can send to CloudWatch Logs (docs/platform-facts.md, "Amazon EKS clusters"). */
export const controlPlaneLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** The AMI type of the node group: Amazon Linux 2023 for arm64, which the pack knows as arm64. */
export const nodeAmiType = SUGGESTED_ARM64_AMI_TYPE;

/** `1.<minor>`: what EKS takes as a cluster `version`. */
export const kubernetesVersionPattern = /^1\.[1-9][0-9]$/;

const instanceTypesError = 'expected a list of EC2 instance type names like ["t4g.medium"]';

/**
 * A list of Graviton instance types. Classified by the pack's own instance-family table, so the program refuses
 * before anything is registered what eks-nodegroup-architecture-match would.
 */
export const gravitonInstanceTypes: Rule<readonly string[]> = (value) => {
    if (!Array.isArray(value) || !value.every((type) => typeof type === "string")) {
        return { refused: instanceTypesError };
    }
    const instanceTypes = value as readonly string[];
    if (instanceTypes.length === 0) {
        return { refused: "expected at least one Graviton (arm64) instance type, e.g. t4g.medium" };
    }
    const problems = instanceTypes.flatMap((type) => {
        const architecture = instanceTypeArchitecture(type);
        if (architecture === "arm64") {
            return [];
        }
        return [
            architecture === "x86_64" ? `${type} is x86_64` : `${type} is not of an instance family the pack knows`,
        ];
    });
    if (new Set(instanceTypes).size !== instanceTypes.length) {
        problems.push("it names an instance type twice");
    }
    return problems.length === 0
        ? { value: instanceTypes }
        : {
              refused: `${problems.join("; ")}: expected arm64 (Graviton) instance types such as t4g.medium or m7g.large, of the arm64 families ${GRAVITON_FAMILY_NAMES.join(", ")}`,
          };
};

/**
 * An EKS cluster whose one managed node group is Graviton, running the image index as a Deployment pinned to arm64
 * nodes behind a LoadBalancer Service. Plain aws.eks resources, so that tests and the pack see every child
 * (docs/platform-facts.md, "Pulumi SDK behaviour").
 */
export class EksGraviton extends pulumi.ComponentResource {
    public readonly cluster: aws.eks.Cluster;
    public readonly nodeGroup: aws.eks.NodeGroup;
    /** Talks to the cluster as the deployer, with a token from `aws eks get-token`. */
    public readonly provider: k8s.Provider;
    public readonly workload: IndexWorkload;
    /** `http://<load balancer host name>`. */
    public readonly url: pulumi.Output<string | undefined>;

    constructor(name: string, args: EksGravitonArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings: EksGravitonSettings = { ...eksGravitonDefaults, ...args };
        checkArguments("EksGraviton", eksGravitonRules, settings, eksScalingProblems);
        requirePolicyArn("EksGraviton", "permissionsBoundaryArn", args.permissionsBoundaryArn);
        const image = requireDigestPinned("EksGraviton", "image", args.image);
        super(componentType("eks", "EksGraviton"), name, {}, opts);

        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const attach = (roleName: string, role: aws.iam.Role, policies: readonly string[]) =>
            policies.map(
                (policy) =>
                    new aws.iam.RolePolicyAttachment(
                        `${roleName}-${policy}`,
                        { role: role.name, policyArn: awsManagedPolicyArn(partition, policy) },
                        { parent: this },
                    ),
            );

        // The cluster role lets EKS manage the control plane's ENIs and, for the legacy cloud provider, create the
        // Service's load balancer (docs/platform-facts.md, "Amazon EKS clusters").
        const { role: clusterRole, policy: clusterPolicy } = serviceRoleOfKind(
            `${name}-cluster`,
            "eks-cluster",
            partition,
            args.permissionsBoundaryArn !== undefined,
            this,
        );

        // Named, not auto-named: the control-plane log group is named after the cluster and must exist first.
        const clusterName = `${pulumi.getProject()}-${pulumi.getStack()}-${name}`.replace(/[^A-Za-z0-9_-]/g, "-");
        const logGroup = settings.controlPlaneLogging
            ? new aws.cloudwatch.LogGroup(
                  `${name}-control-plane`,
                  // EKS writes to this group and creates it without retention if it is missing.
                  { name: `/aws/eks/${clusterName}/cluster`, retentionInDays: settings.logRetentionDays },
                  { parent: this },
              )
            : undefined;

        this.cluster = new aws.eks.Cluster(
            name,
            {
                name: clusterName,
                version: settings.kubernetesVersion,
                roleArn: clusterRole.arn,
                vpcConfig: {
                    subnetIds: args.privateSubnetIds,
                    endpointPrivateAccess: true,
                    endpointPublicAccess: true,
                },
                // Access entries only; the creator gets no implicit admin entry, the explicit one below is the one.
                accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
                // The three add-ons are EKS add-ons below, so EKS installs no self-managed copies.
                bootstrapSelfManagedAddons: false,
                // STANDARD: upgraded at the end of standard support instead of billed for extended support.
                upgradePolicy: { supportType: "STANDARD" },
                enabledClusterLogTypes: settings.controlPlaneLogging ? [...controlPlaneLogTypes] : [],
            },
            // A replacement must delete the old cluster first: the new one takes the same name.
            {
                parent: this,
                dependsOn: [clusterPolicy, ...(logGroup ? [logGroup] : [])],
                deleteBeforeReplace: true,
            },
        );

        // The deployer (caller of `pulumi up`) administers the cluster. An access entry takes an IAM role or user,
        // never an STS session, so an assumed role's session ARN is turned into the role's own ARN first
        // (docs/platform-facts.md, "Amazon EKS clusters").
        const caller = aws.getCallerIdentityOutput({}, { parent: this });
        const deployerArn = aws.iam.getSessionContextOutput({ arn: caller.arn }, { parent: this }).issuerArn;
        const accessEntry = new aws.eks.AccessEntry(
            `${name}-deployer`,
            { clusterName: this.cluster.name, principalArn: deployerArn, type: "STANDARD" },
            { parent: this },
        );
        const adminAccess = new aws.eks.AccessPolicyAssociation(
            `${name}-deployer`,
            {
                clusterName: this.cluster.name,
                principalArn: accessEntry.principalArn,
                policyArn: pulumi.interpolate`arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
                accessScope: { type: "cluster" },
            },
            { parent: this },
        );

        // Under the stack's path and boundary, which lets instance credentials do what these three policies grant.
        const nodeRole = new aws.iam.Role(
            `${name}-nodes`,
            serviceRoleArgs("ec2.amazonaws.com", args.permissionsBoundaryArn),
            { parent: this },
        );
        // Kubelet, image pulls from ECR (this stack's repository included) and the VPC CNI's ENI calls.
        const nodePolicies = attach(`${name}-nodes`, nodeRole, [
            "AmazonEKSWorkerNodePolicy",
            "AmazonEC2ContainerRegistryPullOnly",
            "AmazonEKS_CNI_Policy",
        ]);

        // Nodes stay NotReady without the CNI, so vpc-cni and kube-proxy come first; coredns needs nodes to run on
        // and stays DEGRADED until there are some (docs/platform-facts.md, "Amazon EKS clusters").
        const addon = (addonName: string, dependsOn: pulumi.Resource[]) =>
            new aws.eks.Addon(
                `${name}-${addonName}`,
                { clusterName: this.cluster.name, addonName, resolveConflictsOnCreate: "OVERWRITE" },
                { parent: this, dependsOn },
            );
        const networking = [addon("vpc-cni", []), addon("kube-proxy", [])];

        this.nodeGroup = new aws.eks.NodeGroup(
            `${name}-graviton`,
            {
                clusterName: this.cluster.name,
                nodeRoleArn: nodeRole.arn,
                subnetIds: args.privateSubnetIds,
                amiType: nodeAmiType,
                instanceTypes: [...settings.instanceTypes],
                capacityType: "ON_DEMAND",
                scalingConfig: {
                    minSize: settings.minSize,
                    desiredSize: settings.desiredSize,
                    maxSize: settings.maxSize,
                },
                updateConfig: { maxUnavailable: 1 },
            },
            { parent: this, dependsOn: [...nodePolicies, ...networking] },
        );
        const coredns = addon("coredns", [this.nodeGroup]);

        this.provider = new k8s.Provider(
            `${name}-k8s`,
            {
                kubeconfig: kubeconfigFor(
                    this.cluster.name,
                    this.cluster.endpoint,
                    this.cluster.certificateAuthority.data,
                    region,
                ),
            },
            { parent: this, dependsOn: [adminAccess] },
        );

        this.workload = indexWorkload(
            name,
            { image, containerPort: settings.containerPort, replicas: settings.replicas },
            { parent: this, provider: this.provider, dependsOn: [adminAccess, this.nodeGroup, coredns] },
        );
        this.url = this.workload.url;

        this.registerOutputs({ clusterName: this.cluster.name, url: this.url });
    }
}

/** What each argument allows on its own; eksScalingProblems checks the node group's sizes together. */
export const eksGravitonRules = {
    kubernetesVersion: matching(
        kubernetesVersionPattern,
        "expected a Kubernetes version EKS offers, written 1.<minor>, like 1.36",
    ),
    instanceTypes: gravitonInstanceTypes,
    minSize: wholeNumber(0, 100),
    desiredSize: wholeNumber(1, 100),
    maxSize: wholeNumber(1, 100),
    replicas: wholeNumber(1, 100),
} as const;

/** EKS refuses a scaling config outside min <= desired <= max (EKS API reference, NodegroupScalingConfig). */
export function eksScalingProblems(sizes: Pick<EksGravitonSettings, "minSize" | "desiredSize" | "maxSize">): Problem[] {
    const problems: Problem[] = [];
    if (sizes.desiredSize < sizes.minSize) {
        problems.push({
            key: "minSize",
            value: sizes.minSize,
            message: `must not exceed desiredSize (${sizes.desiredSize})`,
        });
    }
    if (sizes.desiredSize > sizes.maxSize) {
        problems.push({
            key: "maxSize",
            value: sizes.maxSize,
            message: `must be at least desiredSize (${sizes.desiredSize})`,
        });
    }
    return problems;
}
