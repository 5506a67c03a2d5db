// The AWS managed policies the program attaches to roles bounded by the stack's boundary, as the AWS Managed Policy
// Reference gives them: what the boundary must let through for those roles to work.

/** One Allow statement of a managed policy: its actions and resources. */
export interface ManagedStatement {
    readonly actions: readonly string[];
    readonly resources: readonly string[];
}

/** By the policy's name after `arn:aws:iam::aws:policy/`. */
export const awsManagedPolicies: Readonly<Record<string, readonly ManagedStatement[]>> = {
    // AmazonECSTaskExecutionRolePolicy: ECR pulls and log writes on `*`.
    "service-role/AmazonECSTaskExecutionRolePolicy": [
        {
            actions: [
                "ecr:GetAuthorizationToken",
                "ecr:BatchCheckLayerAvailability",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage",
                "logs:CreateLogStream",
                "logs:PutLogEvents",
            ],
            resources: ["*"],
        },
    ],
    // v3, edited 2023-11-27.
    AmazonEKSWorkerNodePolicy: [
        {
            actions: [
                "ec2:DescribeInstances",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeRouteTables",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSubnets",
                "ec2:DescribeVolumes",
                "ec2:DescribeVolumesModifications",
                "ec2:DescribeVpcs",
                "eks:DescribeCluster",
                "eks-auth:AssumeRoleForPodIdentity",
            ],
            resources: ["*"],
        },
    ],
    // v1, 2024-10-04.
    AmazonEC2ContainerRegistryPullOnly: [
        {
            actions: [
                "ecr:GetAuthorizationToken",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
                "ecr:BatchImportUpstreamImage",
            ],
            resources: ["*"],
        },
    ],
    // v5, edited 2024-03-04.
    AmazonEKS_CNI_Policy: [
        {
            actions: [
                "ec2:AssignPrivateIpAddresses",
                "ec2:AttachNetworkInterface",
                "ec2:CreateNetworkInterface",
                "ec2:DeleteNetworkInterface",
                "ec2:DescribeInstances",
                "ec2:DescribeTags",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeSubnets",
                "ec2:DetachNetworkInterface",
                "ec2:ModifyNetworkInterfaceAttribute",
                "ec2:UnassignPrivateIpAddresses",
            ],
            resources: ["*"],
        },
        { actions: ["ec2:CreateTags"], resources: ["arn:aws:ec2:*:*:network-interface/*"] },
    ],
};
