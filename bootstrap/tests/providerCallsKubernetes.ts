import { ArnScope, arns, createsIn, creates, ProviderCall, retags, untagged, uses } from "./callKinds";

/**
 * EKS calls of EksGraviton's resources (components/eksGraviton.ts); undefined for other types.
 * terraform-provider-aws `internal/service/eks/`: `cluster.go` (CreateCluster, DescribeCluster until ACTIVE,
 * UpdateClusterConfig / UpdateClusterVersion with DescribeUpdate, DeleteCluster), `node_group.go` (CreateNodegroup,
 * DescribeNodegroup, UpdateNodegroupConfig / UpdateNodegroupVersion with DescribeUpdate, DeleteNodegroup),
 * `addon.go` (CreateAddon, DescribeAddon until ACTIVE, UpdateAddon with DescribeUpdate, DeleteAddon),
 * `access_entry.go` and `access_policy_association.go` (Create/Describe/Update/DeleteAccessEntry,
 * Associate/Disassociate AccessPolicy, ListAssociatedAccessPolicies).
 */
export function kubernetesCalls(
    type: string,
    name: string,
    inputs: Readonly<Record<string, unknown>>,
    scope: ArnScope,
): ProviderCall[] | undefined {
    const { regional, role, serviceLinkedRole } = arns(scope);
    const eks = (resource: string) => regional("eks", resource);
    const cluster = eks(`cluster/${String(inputs.clusterName ?? inputs.name)}`);
    const uuid = "8ec2d5a1-0b4c-4e7f-9a3d-2f1e6c7b8a90";
    // A change of the stack's tags, on each resource's own ARN (`@Tags(identifierAttribute=...)`).
    const eksRetags = (resource: string) => retags("eks:TagResource", "eks:UntagResource", resource);
    switch (type) {
        case "aws:eks/cluster:Cluster":
            return [
                creates("eks:CreateCluster", "*"),
                uses("iam:PassRole", String(inputs.roleArn), { "iam:PassedToService": "eks.amazonaws.com" }),
                serviceLinkedRole("eks.amazonaws.com", "AWSServiceRoleForAmazonEKS"),
                ...["DescribeCluster", "UpdateClusterConfig", "UpdateClusterVersion", "DescribeUpdate"].map((action) =>
                    uses(`eks:${action}`, cluster),
                ),
                ...eksRetags(cluster),
                uses("eks:DeleteCluster", cluster),
            ];
        case "aws:eks/nodeGroup:NodeGroup": {
            const nodeGroup = eks(`nodegroup/${String(inputs.clusterName)}/${name}/${uuid}`);
            const nodegroupRole = "aws-service-role/eks-nodegroup.amazonaws.com/AWSServiceRoleForAmazonEKSNodegroup";
            return [
                createsIn("eks:CreateNodegroup", cluster),
                uses("iam:PassRole", String(inputs.nodeRoleArn), { "iam:PassedToService": "eks.amazonaws.com" }),
                // EKS reads its node group service-linked role before it creates the group, and creates it if absent
                // (terraform-aws-modules/terraform-aws-eks#823: "due to missing permissions for 'iam:GetRole'").
                untagged("iam:GetRole", role(nodegroupRole)),
                serviceLinkedRole("eks-nodegroup.amazonaws.com", "AWSServiceRoleForAmazonEKSNodegroup"),
                ...["DescribeNodegroup", "UpdateNodegroupConfig", "UpdateNodegroupVersion", "DeleteNodegroup"].map(
                    (action) => uses(`eks:${action}`, nodeGroup),
                ),
                uses("eks:DescribeUpdate", cluster),
                uses("eks:DescribeUpdate", nodeGroup),
                ...eksRetags(nodeGroup),
            ];
        }
        case "aws:eks/addon:Addon": {
            const addon = eks(`addon/${String(inputs.clusterName)}/${String(inputs.addonName)}/${uuid}`);
            return [
                createsIn("eks:CreateAddon", cluster),
                ...["DescribeAddon", "UpdateAddon", "DeleteAddon"].map((action) => uses(`eks:${action}`, addon)),
                uses("eks:DescribeUpdate", cluster),
                ...eksRetags(addon),
            ];
        }
        case "aws:eks/accessEntry:AccessEntry":
            return [
                createsIn("eks:CreateAccessEntry", cluster),
                ...["DescribeAccessEntry", "UpdateAccessEntry", "DeleteAccessEntry"].map((action) =>
                    uses(`eks:${action}`, accessEntryOf(inputs, scope)),
                ),
                ...eksRetags(accessEntryOf(inputs, scope)),
            ];
        case "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": {
            const policy = { "eks:policyArn": String(inputs.policyArn) };
            return [
                uses("eks:AssociateAccessPolicy", accessEntryOf(inputs, scope), policy),
                uses("eks:ListAssociatedAccessPolicies", accessEntryOf(inputs, scope)),
                uses("eks:DisassociateAccessPolicy", accessEntryOf(inputs, scope), policy),
            ];
        }
        default:
            // The Kubernetes objects go to the cluster's API server, which authorizes the deployer by its access
            // entry; the token `aws eks get-token` makes is a presigned sts:GetCallerIdentity, which needs no right.
            return type.startsWith("kubernetes:") ? [] : undefined;
    }
}

/** `access-entry/<cluster>/role/<account>/<role name>/<uuid>` (Service Authorization Reference, EKS). */
function accessEntryOf(inputs: Readonly<Record<string, unknown>>, scope: ArnScope): string {
    const principal = String(inputs.principalArn).split("/").pop() ?? "";
    return arns(scope).regional(
        "eks",
        `access-entry/${String(inputs.clusterName)}/role/${scope.account}/${principal}/8ec2d5a1-0b4c-4e7f`,
    );
}
