// Mock answers for the EKS cluster, its add-ons and access entries, the Kubernetes objects deployed into it, and the
// identity of whoever runs the program, as harness/index.ts gives them to the program. Modelled on what the providers
// return: the EKS API reference (Cluster, Nodegroup, Addon, AccessEntry), the Kubernetes API reference
// (ServiceStatus, LoadBalancerIngress), pulumi-kubernetes's auto-naming and the aws provider's session context.
import * as crypto from "crypto";

const hex = (...parts: unknown[]) => crypto.createHash("sha256").update(JSON.stringify(parts)).digest("hex");

/** The caller the mocks answer for: a role session, as the project's CI deploy role runs `pulumi up`. */
export function mockCaller(account: string): Record<string, string> {
    return {
        id: account,
        accountId: account,
        arn: `arn:aws:sts::${account}:assumed-role/graviton-deploy/pulumi-up`,
        userId: "AROAMOCKDEPLOYROLE:pulumi-up",
    };
}

/**
 * `aws.iam.getSessionContext`: an STS assumed-role ARN gives the role's IAM ARN, anything else passes through
 * (hashicorp/terraform-provider-aws, internal/service/iam/session_context_data_source.go). The real data source reads
 * the role with GetRole, so a role path would appear; the mock caller's role has none.
 */
function sessionContext(arn: string): Record<string, string> {
    const assumed = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
    if (assumed === null) {
        return { id: arn, arn, issuerArn: arn, issuerId: "", issuerName: "", sessionName: "" };
    }
    const [, partition, account, role, session] = assumed;
    const issuerArn = `arn:${partition}:iam::${account}:role/${role}`;
    return { id: arn, arn, issuerArn, issuerId: "AROAMOCKDEPLOYROLE", issuerName: role, sessionName: session };
}

/** Answers for the invokes about the deployer's identity; undefined for any other token. */
export function identityMockInvoke(
    token: string,
    inputs: Record<string, unknown>,
    account: string,
): Record<string, unknown> | undefined {
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return mockCaller(account);
        case "aws:iam/getSessionContext:getSessionContext":
            return sessionContext(String(inputs.arn));
        default:
            return undefined;
    }
}

type Inputs = Record<string, unknown>;

/** pulumi-kubernetes names an object `<name>-<8 random characters>` when `metadata.name` is unset. */
function withMetadata(inputs: Inputs, name: string): Inputs {
    const metadata = (inputs.metadata ?? {}) as Inputs;
    return {
        ...metadata,
        name: metadata.name ?? `${name}-${hex("k8s name", name).slice(0, 8)}`,
        namespace: metadata.namespace ?? "default",
        uid: [8, 4, 4, 4, 12].map((length, part) => hex("uid", name, part).slice(0, length)).join("-"),
    };
}

/**
 * The state of an EKS or Kubernetes resource; undefined for any other type. `base` is the harness's default for AWS
 * resources (inputs, a name and an ARN); Kubernetes objects start from their inputs. In a preview, what a provider
 * computes after creation (an object's status) is left out.
 */
export function eksMockState(
    type: string,
    name: string,
    inputs: Inputs,
    base: Inputs,
    region: string,
    account: string,
    preview: boolean,
): Inputs | undefined {
    const eksArn = (resource: string) => `arn:aws:eks:${region}:${account}:${resource}`;
    const uuid = [8, 4, 4, 4, 12].map((length, part) => hex(type, name, part).slice(0, length)).join("-");
    switch (type) {
        case "aws:eks/cluster:Cluster": {
            const id = hex("endpoint", base.name).slice(0, 32).toUpperCase();
            return {
                ...base,
                arn: eksArn(`cluster/${String(base.name)}`),
                // DescribeCluster: the API server URL, and the cluster CA as base64 of its PEM.
                endpoint: `https://${id}.gr7.${region}.eks.amazonaws.com`,
                certificateAuthority: {
                    data: Buffer.from(
                        `-----BEGIN CERTIFICATE-----\n${hex("ca", id)}\n-----END CERTIFICATE-----\n`,
                    ).toString("base64"),
                },
                identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${id}` }] }],
                platformVersion: "eks.1",
                status: "ACTIVE",
                vpcConfig: {
                    ...(base.vpcConfig as Inputs),
                    clusterSecurityGroupId: `sg-${hex("cluster sg", id).slice(0, 17)}`,
                    vpcId: "vpc-0a1b2c3d4e5f60718",
                },
            };
        }
        case "aws:eks/nodeGroup:NodeGroup": {
            // The provider picks a unique name when nodeGroupName is unset (CreateNodegroup requires one).
            const nodeGroupName = (base.nodeGroupName as string | undefined) ?? `${name}-${hex(name).slice(0, 7)}`;
            return {
                ...base,
                nodeGroupName,
                arn: eksArn(`nodegroup/${String(base.clusterName)}/${nodeGroupName}/${uuid}`),
                status: "ACTIVE",
                resources: [{ autoscalingGroups: [{ name: `eks-${nodeGroupName}-${uuid}` }] }],
            };
        }
        case "aws:eks/addon:Addon":
            return {
                ...base,
                arn: eksArn(`addon/${String(base.clusterName)}/${String(base.addonName)}/${uuid}`),
                addonVersion: base.addonVersion ?? "v1.0.0-eksbuild.1",
            };
        case "aws:eks/accessEntry:AccessEntry":
            return {
                ...base,
                accessEntryArn: eksArn(`access-entry/${String(base.clusterName)}/role/${account}/${uuid}`),
                kubernetesGroups: base.kubernetesGroups ?? [],
                type: base.type ?? "STANDARD",
            };
        case "kubernetes:apps/v1:Deployment": {
            const replicas = ((inputs.spec as Inputs | undefined)?.replicas as number | undefined) ?? 1;
            const metadata = withMetadata(inputs, name);
            return preview
                ? { ...inputs, metadata }
                : { ...inputs, metadata, status: { replicas, readyReplicas: replicas, availableReplicas: replicas } };
        }
        case "kubernetes:core/v1:Service": {
            const metadata = withMetadata(inputs, name);
            // The cloud provider names a Classic Load Balancer "a" + the Service's UID without dashes, 32 characters
            // (k8s.io/cloud-provider, DefaultLoadBalancerName); its DNS name is <name>-<number>.<region>.elb.amazonaws.com.
            const lbName = `a${String(metadata.uid).replace(/-/g, "")}`.slice(0, 32);
            const hostname = `${lbName}-${parseInt(hex("lb", lbName).slice(0, 8), 16)}.${region}.elb.amazonaws.com`;
            return preview
                ? { ...inputs, metadata }
                : { ...inputs, metadata, status: { loadBalancer: { ingress: [{ hostname }] } } };
        }
        default:
            return undefined;
    }
}
