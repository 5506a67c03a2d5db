import { arn, Statement } from "./document";
import { createsTagged, DeployScope, inRegion, StackScope, stackRoles, taggedForStack } from "./scope";

/** The KMS-encrypted ECR repository, its policies and the image pushes docker-build makes. */
export function registryStatements(scope: StackScope): Statement[] {
    const repository = arn(scope, "ecr", "repository/*");
    return [
        {
            // GetAuthorizationToken takes no resource scope (ECR API reference).
            Sid: "RegistryToken",
            Effect: "Allow",
            Action: ["ecr:GetAuthorizationToken"],
            Resource: ["*"],
            Condition: inRegion(scope),
        },
        {
            Sid: "RegistryCreateTagged",
            Effect: "Allow",
            Action: ["ecr:CreateRepository", "ecr:TagResource"],
            Resource: [repository],
            Condition: createsTagged(scope),
        },
        {
            Sid: "RegistryOfTheStack",
            Effect: "Allow",
            Action: [
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:CompleteLayerUpload",
                "ecr:DeleteLifecyclePolicy",
                "ecr:DeleteRepository",
                "ecr:DeleteRepositoryPolicy",
                "ecr:DescribeImages",
                "ecr:DescribeRepositories",
                "ecr:GetDownloadUrlForLayer",
                "ecr:GetLifecyclePolicy",
                "ecr:GetRepositoryPolicy",
                "ecr:InitiateLayerUpload",
                "ecr:ListTagsForResource",
                "ecr:PutImage",
                "ecr:PutImageScanningConfiguration",
                "ecr:PutImageTagMutability",
                "ecr:PutLifecyclePolicy",
                "ecr:SetRepositoryPolicy",
                "ecr:TagResource",
                "ecr:UntagResource",
                "ecr:UploadLayerPart",
            ],
            Resource: [repository],
            Condition: taggedForStack(scope),
        },
        {
            // Deleting a repository encrypted with the aws/ecr key retires ECR's grants on that key, which
            // the deleting principal must be allowed (docs/platform-facts.md, "Scoping the deploy role").
            Sid: "RegistryKeyGrantsOnDelete",
            Effect: "Allow",
            Action: ["kms:RetireGrant"],
            Resource: [arn(scope, "kms", "key/*")],
            Condition: { StringEquals: { "kms:ViaService": `ecr.${scope.region}.amazonaws.com` } },
        },
    ];
}

/**
 * The service-linked roles the first deploy in an account may make AWS create, by their exact names
 * (docs/platform-facts.md, "Scoping the deploy role").
 */
export const serviceLinkedRoles: Readonly<Record<string, string>> = {
    "ecs.amazonaws.com": "AWSServiceRoleForECS",
    "elasticloadbalancing.amazonaws.com": "AWSServiceRoleForElasticLoadBalancing",
    "ecs.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_ECSService",
    "apprunner.amazonaws.com": "AWSServiceRoleForAppRunner",
};

/** The services the program hands its roles to: ECS tasks, Lambda and App Runner's ECR access role. */
export const passedToServices = ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com", "apprunner.amazonaws.com"];

/** What changes a role's permissions; each of these takes the iam:PermissionsBoundary condition key. */
export const boundedRoleActions = [
    "iam:AttachRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
];

/**
 * The task, execution, function and access roles the components create, with their inline policies: only under the
 * stack's role path, so no role elsewhere in the account is in reach, tagged or not; and only within the stack's
 * permissions boundary, so no role it creates or changes can do more than the boundary allows, whatever its
 * policies say (docs/platform-facts.md, "Scoping the deploy role").
 */
export function iamStatements(scope: DeployScope): Statement[] {
    const roles = stackRoles(scope);
    const bounded = { "iam:PermissionsBoundary": scope.permissionsBoundaryArn };
    return [
        {
            Sid: "IamCreateRoleBounded",
            Effect: "Allow",
            Action: ["iam:CreateRole"],
            Resource: [roles],
            Condition: createsTagged(scope, bounded),
        },
        {
            // A create with tags is authorized as TagRole too, which has no iam:PermissionsBoundary key.
            Sid: "IamTagRoleOnCreate",
            Effect: "Allow",
            Action: ["iam:TagRole"],
            Resource: [roles],
            Condition: createsTagged(scope),
        },
        {
            Sid: "IamChangeBoundedRolesOfTheStack",
            Effect: "Allow",
            Action: boundedRoleActions,
            Resource: [roles],
            Condition: taggedForStack(scope, bounded),
        },
        {
            Sid: "IamRolesOfTheStack",
            Effect: "Allow",
            Action: [
                "iam:DeleteRole",
                "iam:GetRole",
                "iam:GetRolePolicy",
                "iam:ListAttachedRolePolicies",
                "iam:ListInstanceProfilesForRole",
                "iam:ListRolePolicies",
                "iam:ListRoleTags",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:UpdateRole",
            ],
            Resource: [roles],
            Condition: taggedForStack(scope),
        },
        {
            Sid: "IamPassRolesOfTheStack",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: [roles],
            Condition: taggedForStack(scope, { "iam:PassedToService": passedToServices }),
        },
        {
            Sid: "IamServiceLinkedRoles",
            Effect: "Allow",
            Action: ["iam:CreateServiceLinkedRole"],
            Resource: Object.entries(serviceLinkedRoles).map(([service, role]) =>
                arn(scope, "iam", `role/aws-service-role/${service}/${role}`),
            ),
            Condition: { StringEquals: { "iam:AWSServiceName": Object.keys(serviceLinkedRoles) } },
        },
        {
            Sid: "NoRoleWithoutItsBoundary",
            Effect: "Deny",
            Action: ["iam:DeleteRolePermissionsBoundary"],
            Resource: ["*"],
        },
        {
            Sid: "BoundaryStaysAsWritten",
            Effect: "Deny",
            Action: [
                "iam:CreatePolicyVersion",
                "iam:DeletePolicy",
                "iam:DeletePolicyVersion",
                "iam:SetDefaultPolicyVersion",
            ],
            Resource: [scope.permissionsBoundaryArn],
        },
    ];
}
