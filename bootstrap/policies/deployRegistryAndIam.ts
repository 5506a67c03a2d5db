import { serviceRoleKinds, ServiceRoleKind } from "../../components/iam";
import { AccountScope, arn, Statement } from "./document";
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
 * (docs/platform-facts.md, "Scoping the deploy role" and "EKS for the deploy role").
 */
export const serviceLinkedRoles: Readonly<Record<string, string>> = {
    "ecs.amazonaws.com": "AWSServiceRoleForECS",
    "elasticloadbalancing.amazonaws.com": "AWSServiceRoleForElasticLoadBalancing",
    "ecs.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_ECSService",
    "apprunner.amazonaws.com": "AWSServiceRoleForAppRunner",
    "eks.amazonaws.com": "AWSServiceRoleForAmazonEKS",
    "eks-nodegroup.amazonaws.com": "AWSServiceRoleForAmazonEKSNodegroup",
};

/**
 * The services the program hands its roles to: ECS tasks, Lambda, App Runner's ECR access role, ECS itself (both
 * Express Mode roles) and EKS (the cluster and node roles) (docs/platform-facts.md, "Scoping the deploy role").
 */
export const passedToServices = [
    "ecs-tasks.amazonaws.com",
    "lambda.amazonaws.com",
    "apprunner.amazonaws.com",
    "ecs.amazonaws.com",
    "eks.amazonaws.com",
];

/**
 * What changes a role's permissions or trust, attaching a managed policy included; each of these takes the
 * iam:PermissionsBoundary condition key, and the boundary caps whatever they put on the role.
 */
export const boundedRoleActions = [
    "iam:AttachRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
];

const managedPolicyArn = (scope: AccountScope, policy: string) => `arn:${scope.partition}:iam::aws:policy/${policy}`;

const titleOf = (kind: ServiceRoleKind) =>
    kind
        .split("-")
        .map((part) => part[0].toUpperCase() + part.slice(1))
        .join("");

/**
 * The service roles' rights: each kind created and changed only under its sub-path and with its one AWS managed
 * policy as boundary, and passed to its one service, where that policy is what the service needs; elsewhere it could
 * do more than the stack's boundary allows (docs/platform-facts.md, "Service roles under the boundary").
 */
export function serviceRoleStatements(scope: DeployScope): Statement[] {
    return (Object.keys(serviceRoleKinds) as ServiceRoleKind[]).flatMap((kind): Statement[] => {
        const roles = stackRoles(scope, kind);
        const bounded = { "iam:PermissionsBoundary": managedPolicyArn(scope, serviceRoleKinds[kind].policy) };
        return [
            {
                Sid: `IamCreate${titleOf(kind)}RoleBounded`,
                Effect: "Allow",
                Action: ["iam:CreateRole"],
                Resource: [roles],
                Condition: createsTagged(scope, bounded),
            },
            {
                Sid: `IamChange${titleOf(kind)}RoleBounded`,
                Effect: "Allow",
                Action: boundedRoleActions,
                Resource: [roles],
                Condition: taggedForStack(scope, bounded),
            },
            {
                Sid: `No${titleOf(kind)}RoleElsewhere`,
                Effect: "Deny",
                Action: ["iam:PassRole"],
                Resource: [roles],
                Condition: { StringNotEquals: { "iam:PassedToService": serviceRoleKinds[kind].service } },
            },
        ];
    });
}

/**
 * The task, execution, function, access, node and service roles the components create, with their policies: only
 * under the stack's role path, so no role elsewhere in the account is in reach, tagged or not; and only within a
 * permissions boundary (the stack's, or a service role's own policy), so no role it creates or changes can do more
 * than that allows, whatever its policies say (docs/platform-facts.md, "Scoping the deploy role").
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
            // CreateNodegroup reads its service-linked role first ("Failed to validate if SLR ... exists due to
            // missing permissions for 'iam:GetRole'"), and the program reads the deployer's own role to name it as
            // the cluster's admin (docs/platform-facts.md, "EKS for the deploy role").
            Sid: "IamReadServiceLinkedAndOwnRole",
            Effect: "Allow",
            Action: ["iam:GetRole"],
            Resource: [
                arn(
                    scope,
                    "iam",
                    `role/aws-service-role/eks-nodegroup.amazonaws.com/${serviceLinkedRoles["eks-nodegroup.amazonaws.com"]}`,
                ),
                scope.roleArn,
            ],
        },
        {
            Sid: "NoRoleWithoutItsBoundary",
            Effect: "Deny",
            Action: ["iam:DeleteRolePermissionsBoundary"],
            Resource: ["*"],
        },
        {
            // Pulumi never assumes the stack's roles; a role that trusted the deploy role would lend it its rights.
            Sid: "NoAssumingTheProjectsRoles",
            Effect: "Deny",
            Action: ["sts:AssumeRole"],
            Resource: [arn(scope, "iam", `role/${scope.project}/*`)],
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
