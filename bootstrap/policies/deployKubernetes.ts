import { arn, ConditionBlock, Statement } from "./document";
import { createsTagged, StackScope, taggedForStack } from "./scope";

/** What the cluster creates inside itself, each created with the stack's tags and authorized on the cluster. */
const createsInTheCluster = ["eks:CreateAccessEntry", "eks:CreateAddon", "eks:CreateNodegroup"];

/** The one access policy the program associates: the deployer as the cluster's admin (components/eksGraviton.ts). */
export const clusterAdminPolicy = "AmazonEKSClusterAdminPolicy";

/**
 * EKS (when the stack turns it on): the cluster, its node group, add-ons and the deployer's access entry, created
 * with the stack's tags and changed only when they carry them (docs/platform-facts.md, "EKS for the deploy role").
 */
export function eksStatements(scope: StackScope): Statement[] {
    const eks = (resource: string) => arn(scope, "eks", resource);
    const ours = [eks("cluster/*"), eks("nodegroup/*"), eks("addon/*"), eks("access-entry/*")];
    const inOurCluster: ConditionBlock = {
        StringEquals: { ...createsTagged(scope).StringEquals, ...taggedForStack(scope).StringEquals },
    };
    return [
        {
            // CreateCluster takes no resource scope, only the request's tags and region.
            Sid: "EksCreateClusterTagged",
            Effect: "Allow",
            Action: ["eks:CreateCluster"],
            Resource: ["*"],
            Condition: createsTagged(scope, { "aws:RequestedRegion": scope.region }),
        },
        {
            // These are authorized on the cluster they go into: it must be the stack's, the new one tagged for it.
            Sid: "EksCreateInTheStacksCluster",
            Effect: "Allow",
            Action: createsInTheCluster,
            Resource: [eks("cluster/*")],
            Condition: inOurCluster,
        },
        {
            Sid: "EksOfTheStack",
            Effect: "Allow",
            Action: [
                "eks:DeleteAccessEntry",
                "eks:DeleteAddon",
                "eks:DeleteCluster",
                "eks:DeleteNodegroup",
                "eks:DescribeAccessEntry",
                "eks:DescribeAddon",
                "eks:DescribeCluster",
                "eks:DescribeNodegroup",
                "eks:DescribeUpdate",
                "eks:ListAssociatedAccessPolicies",
                "eks:ListTagsForResource",
                "eks:TagResource",
                "eks:UntagResource",
                "eks:UpdateAccessEntry",
                "eks:UpdateAddon",
                "eks:UpdateClusterConfig",
                "eks:UpdateClusterVersion",
                "eks:UpdateNodegroupConfig",
                "eks:UpdateNodegroupVersion",
            ],
            Resource: ours,
            Condition: taggedForStack(scope),
        },
        {
            // Only the admin policy the program associates, on the stack's own access entries.
            Sid: "EksClusterAdminOfTheStack",
            Effect: "Allow",
            Action: ["eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy"],
            Resource: [eks("access-entry/*")],
            Condition: taggedForStack(scope, {
                "eks:policyArn": `arn:${scope.partition}:eks::aws:cluster-access-policy/${clusterAdminPolicy}`,
            }),
        },
    ];
}
