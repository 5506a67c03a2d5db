import { arn, ConditionBlock, PolicyDocument, policyDocument, Statement } from "./document";
import { inRegion, StackScope, taggedForStack } from "./scope";

/**
 * What an EKS node's instance credentials need: AmazonEKSWorkerNodePolicy v3, AmazonEC2ContainerRegistryPullOnly v1
 * and AmazonEKS_CNI_Policy (AWS Managed Policy Reference), the policies components/eksGraviton.ts attaches.
 */
export const eksNodeActions = [
    "ec2:AssignPrivateIpAddresses",
    "ec2:AttachNetworkInterface",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeInstances",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeTags",
    "ec2:DescribeVolumes",
    "ec2:DescribeVolumesModifications",
    "ec2:DescribeVpcs",
    "ec2:DetachNetworkInterface",
    "ec2:ModifyNetworkInterfaceAttribute",
    "ec2:UnassignPrivateIpAddresses",
    "eks-auth:AssumeRoleForPodIdentity",
    "eks:DescribeCluster",
];

/** Only credentials an EC2 instance profile hands out carry the instance's ARN (docs/platform-facts.md, "Service roles under the boundary"). */
function onTheStacksInstances(scope: StackScope, extra: ConditionBlock = {}): ConditionBlock {
    return { ...extra, StringLike: { "ec2:SourceInstanceARN": arn(scope, "ec2", "instance/*") } };
}

/**
 * EKS nodes (the node role carries the stack's boundary): what their three AWS managed policies grant, but only to
 * instance credentials, so no function's or task's role with the same boundary gets it; image pulls from other
 * accounts' repositories too (the add-on images), the account's own staying limited to the stack's.
 */
function eksNodeStatements(scope: StackScope): Statement[] {
    return [
        {
            Sid: "EksNodes",
            Effect: "Allow",
            Action: eksNodeActions,
            Resource: ["*"],
            Condition: onTheStacksInstances(scope),
        },
        {
            Sid: "EksNodesTagTheirInterfaces",
            Effect: "Allow",
            Action: ["ec2:CreateTags"],
            Resource: [arn(scope, "ec2", "network-interface/*")],
            Condition: onTheStacksInstances(scope),
        },
        {
            Sid: "EksNodesPullFromOtherAccounts",
            Effect: "Allow",
            Action: ["ecr:BatchGetImage", "ecr:BatchImportUpstreamImage", "ecr:GetDownloadUrlForLayer"],
            Resource: [`arn:${scope.partition}:ecr:${scope.region}:*:repository/*`],
            Condition: onTheStacksInstances(scope, { StringNotEquals: { "aws:ResourceAccount": scope.account } }),
        },
    ];
}

/**
 * The permissions boundary of one stack's roles: the most any policy of theirs can grant. It allows what the
 * components grant their roles (components/fargateServicePair.ts, armLambda.ts, appRunnerService.ts,
 * expressModeService.ts, eksGraviton.ts): pulling the stack's own images, writing logs, ECS Exec's Session Manager
 * channels, and on EKS nodes what the node policies grant. A deploy role that may create and change roles only
 * within it cannot make a role with more (docs/platform-facts.md, "Scoping the deploy role").
 */
export function permissionsBoundaryDocument(scope: StackScope): PolicyDocument {
    return policyDocument([
        {
            // GetAuthorizationToken takes no resource scope (ECR API reference).
            Sid: "RegistryToken",
            Effect: "Allow",
            Action: ["ecr:GetAuthorizationToken"],
            Resource: ["*"],
            Condition: inRegion(scope),
        },
        {
            // ECS's execution role and App Runner's access role pull; only from repositories of the stack.
            Sid: "PullTheStacksImages",
            Effect: "Allow",
            Action: [
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:DescribeImages",
                "ecr:GetDownloadUrlForLayer",
            ],
            Resource: [arn(scope, "ecr", "repository/*")],
            Condition: taggedForStack(scope),
        },
        {
            // Log streams carry no tags of the stack, so the region's log groups are the narrowest scope.
            Sid: "WriteLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            Resource: [arn(scope, "logs", "log-group:*")],
        },
        {
            Sid: "FindLogGroups",
            Effect: "Allow",
            Action: ["logs:DescribeLogGroups"],
            Resource: ["*"],
            Condition: inRegion(scope),
        },
        {
            // ECS Exec's channels take no resource scope.
            Sid: "EcsExecChannels",
            Effect: "Allow",
            Action: [
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
            ],
            Resource: ["*"],
            Condition: inRegion(scope),
        },
        ...eksNodeStatements(scope),
    ]);
}
