import { ArnScope, arns, creates, ProviderCall, retags, unscoped, untagged, uses } from "./callKinds";

/**
 * ECS (Express Mode included), auto scaling, logs, ECR, IAM, Lambda, App Runner and docker-build calls; undefined
 * for other types.
 */
export function serviceCalls(
    type: string,
    name: string,
    inputs: Readonly<Record<string, unknown>>,
    scope: ArnScope,
    rolesById: ReadonlyMap<string, RoleOfRun>,
): ProviderCall[] | undefined {
    const { regional, role, serviceLinkedRole } = arns(scope);
    const repository = regional("ecr", `repository/${name}`);
    const cluster = regional("ecs", `cluster/${name}`);
    const service = regional("ecs", `service/${name}/${name}`);
    const fn = regional("lambda", `function:${name}`);
    const push = ["BatchCheckLayerAvailability", "InitiateLayerUpload", "UploadLayerPart", "CompleteLayerUpload"];
    const ecsRetags = (resource: string) => retags("ecs:TagResource", "ecs:UntagResource", resource);

    switch (type) {
        case "aws:ecs/cluster:Cluster":
            return [
                creates("ecs:CreateCluster", cluster),
                creates("ecs:TagResource", cluster, { "ecs:CreateAction": "CreateCluster" }),
                uses("ecs:DescribeClusters", cluster),
                uses("ecs:UpdateCluster", cluster),
                uses("ecs:UpdateClusterSettings", cluster),
                ...ecsRetags(cluster),
                uses("ecs:DeleteCluster", cluster),
            ];
        // PutClusterCapacityProviders on create, update and (with empty lists) delete; DescribeClusters to read and
        // to wait for the cluster (internal/service/ecs/cluster_capacity_providers.go).
        case "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders":
            return [uses("ecs:PutClusterCapacityProviders", cluster), uses("ecs:DescribeClusters", cluster)];
        // express_gateway_service.go: CreateExpressGatewayService with the tags, then (waitForSteadyState)
        // DescribeExpressGatewayService, ListServiceDeployments and the deployment's status; Update/Delete alike.
        case "aws:ecs/expressGatewayService:ExpressGatewayService": {
            const serviceName = typeof inputs.serviceName === "string" ? inputs.serviceName : name;
            const expressService = regional("ecs", `service/${String(inputs.cluster)}/${serviceName}`);
            // ECS is handed both roles (AWS Containers blog, "Automated deployments with GitHub Actions for Amazon
            // ECS Express Mode": iam:PassRole with iam:PassedToService ecs.amazonaws.com).
            const toEcs = { "iam:PassedToService": "ecs.amazonaws.com" };
            return [
                creates("ecs:CreateExpressGatewayService", expressService),
                creates("ecs:TagResource", expressService, { "ecs:CreateAction": "CreateExpressGatewayService" }),
                uses("iam:PassRole", String(inputs.executionRoleArn), toEcs),
                uses("iam:PassRole", String(inputs.infrastructureRoleArn), toEcs),
                ...[
                    "DescribeExpressGatewayService",
                    "UpdateExpressGatewayService",
                    "ListServiceDeployments",
                    "DescribeServiceDeployments",
                    "DeleteExpressGatewayService",
                ].map((action) => uses(`ecs:${action}`, expressService)),
                // @Tags(identifierAttribute="service_arn"): tag changes go to the service's ARN.
                ...ecsRetags(expressService),
                untagged(
                    "ecs:DescribeServiceDeployments",
                    regional("ecs", `service-deployment/${String(inputs.cluster)}/${serviceName}/r-4d5e6f`),
                ),
                serviceLinkedRole("ecs.amazonaws.com", "AWSServiceRoleForECS"),
                // Create looks a service_name it knows up first (checkExpressGatewayServiceExists: DescribeServices),
                // on a service that does not exist yet and so carries no tags. The program sets none and pulumi-aws
                // does not auto-name it, so ECS names the service and no lookup is made.
                ...(typeof inputs.serviceName === "string" ? [untagged("ecs:DescribeServices", expressService)] : []),
            ];
        }
        case "aws:ecs/taskDefinition:TaskDefinition": {
            const taskDefinition = regional("ecs", `task-definition/${name}:1`);
            return [
                creates("ecs:RegisterTaskDefinition", taskDefinition),
                creates("ecs:TagResource", taskDefinition, { "ecs:CreateAction": "RegisterTaskDefinition" }),
                ...[inputs.executionRoleArn, inputs.taskRoleArn].map((roleArn) =>
                    uses("iam:PassRole", String(roleArn), { "iam:PassedToService": "ecs-tasks.amazonaws.com" }),
                ),
                ...unscoped("ecs:DescribeTaskDefinition", "ecs:DeregisterTaskDefinition"),
                // A revision's tags change in place, without a new revision.
                ...ecsRetags(taskDefinition),
            ];
        }
        case "aws:ecs/service:Service":
            return [
                creates("ecs:CreateService", service),
                creates("ecs:TagResource", service, { "ecs:CreateAction": "CreateService" }),
                uses("ecs:DescribeServices", service),
                uses("ecs:UpdateService", service),
                uses("ecs:ListServiceDeployments", service),
                uses("ecs:DescribeServiceDeployments", service),
                // A deployment is its own resource, without the service's tags.
                untagged(
                    "ecs:DescribeServiceDeployments",
                    regional("ecs", `service-deployment/${name}/${name}/r-1a2b3c`),
                ),
                ...ecsRetags(service),
                uses("ecs:DeleteService", service),
                serviceLinkedRole("ecs.amazonaws.com", "AWSServiceRoleForECS"),
            ];
        case "aws:appautoscaling/target:Target": {
            const target = regional("application-autoscaling", "scalable-target/0ec9f8f1e5a24f1b8d1f2c3a4b5c6d7e");
            return [
                creates("application-autoscaling:RegisterScalableTarget", target),
                creates("application-autoscaling:TagResource", target),
                uses("application-autoscaling:RegisterScalableTarget", target),
                ...retags("application-autoscaling:TagResource", "application-autoscaling:UntagResource", target),
                uses("application-autoscaling:DeregisterScalableTarget", target),
                serviceLinkedRole(
                    "ecs.application-autoscaling.amazonaws.com",
                    "AWSServiceRoleForApplicationAutoScaling_ECSService",
                ),
                ...unscoped("application-autoscaling:DescribeScalableTargets"),
            ];
        }
        case "aws:appautoscaling/policy:Policy": {
            const target = regional("application-autoscaling", "scalable-target/0ec9f8f1e5a24f1b8d1f2c3a4b5c6d7e");
            const alarm = regional("cloudwatch", `alarm:TargetTracking-service/web/${name}-AlarmHigh-2f5e4a1c`);
            return [
                uses("application-autoscaling:PutScalingPolicy", target),
                uses("application-autoscaling:DeleteScalingPolicy", target),
                ...["PutMetricAlarm", "DescribeAlarms", "DeleteAlarms"].map((action) =>
                    untagged(`cloudwatch:${action}`, alarm),
                ),
                ...unscoped("application-autoscaling:DescribeScalingPolicies"),
            ];
        }
        case "aws:cloudwatch/logGroup:LogGroup": {
            const group = regional("logs", `log-group:${name}`);
            return [
                creates("logs:CreateLogGroup", group),
                creates("logs:TagResource", group),
                uses("logs:PutRetentionPolicy", group),
                uses("logs:ListTagsForResource", group),
                ...retags("logs:TagResource", "logs:UntagResource", group),
                uses("logs:DeleteLogGroup", group),
                ...unscoped("logs:DescribeLogGroups"),
            ];
        }
        case "aws:ecr/repository:Repository":
            return [
                creates("ecr:CreateRepository", repository),
                creates("ecr:TagResource", repository),
                uses("ecr:DescribeRepositories", repository),
                uses("ecr:PutImageScanningConfiguration", repository),
                uses("ecr:ListTagsForResource", repository),
                ...retags("ecr:TagResource", "ecr:UntagResource", repository),
                uses("ecr:DeleteRepository", repository),
                // ECR retires its grants on the aws/ecr key when the repository goes.
                untagged("kms:RetireGrant", regional("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab"), {
                    "kms:ViaService": `ecr.${scope.region}.amazonaws.com`,
                }),
            ];
        case "aws:ecr/lifecyclePolicy:LifecyclePolicy":
            return ["PutLifecyclePolicy", "GetLifecyclePolicy", "DeleteLifecyclePolicy"].map((action) =>
                uses(`ecr:${action}`, repository),
            );
        case "aws:ecr/repositoryPolicy:RepositoryPolicy":
            return ["SetRepositoryPolicy", "GetRepositoryPolicy", "DeleteRepositoryPolicy"].map((action) =>
                uses(`ecr:${action}`, repository),
            );
        case "docker-build:index:Image":
            // Pushes the image and the build cache (a registry manifest) to the repository, pulls the cache from it.
            return [
                ...unscoped("ecr:GetAuthorizationToken"),
                ...[...push, "PutImage", "BatchGetImage", "GetDownloadUrlForLayer"].map((action) =>
                    uses(`ecr:${action}`, regional("ecr", "repository/app")),
                ),
            ];
        case "docker-build:index:Index":
            return [
                ...unscoped("ecr:GetAuthorizationToken"),
                ...["BatchGetImage", "PutImage"].map((action) =>
                    uses(`ecr:${action}`, regional("ecr", "repository/app")),
                ),
            ];
        case "aws:iam/role:Role": {
            // IAM authorizes a create with tags as TagRole too ("not authorized to perform: iam:TagRole"); the
            // role's boundary is in the context of the actions that take iam:PermissionsBoundary.
            const roleArn = roleArnOf(inputs, name, role);
            const bounded = boundaryContext(inputs.permissionsBoundary);
            return [
                creates("iam:CreateRole", roleArn, bounded),
                creates("iam:TagRole", roleArn),
                uses("iam:GetRole", roleArn, bounded),
                ...["ListRolePolicies", "ListAttachedRolePolicies", "ListInstanceProfilesForRole"].map((action) =>
                    uses(`iam:${action}`, roleArn),
                ),
                uses("iam:UpdateAssumeRolePolicy", roleArn, bounded),
                ...retags("iam:TagRole", "iam:UntagRole", roleArn),
                uses("iam:DeleteRole", roleArn, bounded),
            ];
        }
        case "aws:iam/rolePolicy:RolePolicy": {
            // The policy names its role by the role's id; the role's ARN holds the role's path.
            const owner = rolesById.get(String(inputs.role)) ?? { arn: role(String(inputs.role)) };
            const bounded = boundaryContext(owner.permissionsBoundary);
            return [
                uses("iam:PutRolePolicy", owner.arn, bounded),
                uses("iam:GetRolePolicy", owner.arn),
                uses("iam:DeleteRolePolicy", owner.arn, bounded),
            ];
        }
        // role_policy_attachment.go: AttachRolePolicy, ListAttachedRolePolicies to read, DetachRolePolicy; the
        // attachment names its role by name.
        case "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
            const owner = rolesById.get(String(inputs.role)) ?? { arn: role(String(inputs.role)) };
            const attach = { ...boundaryContext(owner.permissionsBoundary), "iam:PolicyARN": String(inputs.policyArn) };
            return [
                uses("iam:AttachRolePolicy", owner.arn, attach),
                uses("iam:ListAttachedRolePolicies", owner.arn),
                uses("iam:DetachRolePolicy", owner.arn, attach),
            ];
        }
        case "aws:lambda/function:Function":
            return [
                creates("lambda:CreateFunction", fn),
                // Lambda checks TagResource too when tags come with the create (Lambda Developer Guide, tags).
                creates("lambda:TagResource", fn),
                uses("iam:PassRole", String(inputs.role), { "iam:PassedToService": "lambda.amazonaws.com" }),
                ...[
                    "GetFunction",
                    "GetFunctionCodeSigningConfig",
                    "ListVersionsByFunction",
                    "UpdateFunctionCode",
                    "UpdateFunctionConfiguration",
                    "DeleteFunction",
                ].map((action) => uses(`lambda:${action}`, fn)),
                ...retags("lambda:TagResource", "lambda:UntagResource", fn),
            ];
        case "aws:lambda/functionUrl:FunctionUrl":
            return [
                "CreateFunctionUrlConfig",
                "GetFunctionUrlConfig",
                "UpdateFunctionUrlConfig",
                "DeleteFunctionUrlConfig",
            ].map((action) => uses(`lambda:${action}`, fn));
        case "aws:lambda/permission:Permission":
            return ["AddPermission", "GetPolicy", "RemovePermission"].map((action) =>
                uses(`lambda:${action}`, regional("lambda", "function:api")),
            );
        case "aws:apprunner/service:Service": {
            const appService = regional("apprunner", `service/${name}/8fe1e10304f84fd2b0df550fe98a71fa`);
            return [
                creates("apprunner:CreateService", appService),
                creates("apprunner:TagResource", appService),
                uses("iam:PassRole", accessRoleOf(inputs), { "iam:PassedToService": "apprunner.amazonaws.com" }),
                serviceLinkedRole("apprunner.amazonaws.com", "AWSServiceRoleForAppRunner"),
                ...["DescribeService", "UpdateService", "ListOperations", "ListTagsForResource", "DeleteService"].map(
                    (action) => uses(`apprunner:${action}`, appService),
                ),
                ...retags("apprunner:TagResource", "apprunner:UntagResource", appService),
            ];
        }
        default:
            return undefined;
    }
}

/** What the call table needs of a role the run registered: its ARN and its permissions boundary. */
export interface RoleOfRun {
    readonly arn: string;
    readonly permissionsBoundary?: unknown;
}

function boundaryContext(permissionsBoundary: unknown): Record<string, string> {
    return typeof permissionsBoundary === "string" ? { "iam:PermissionsBoundary": permissionsBoundary } : {};
}

/** A role's ARN, `role/<path><name>`, its path as the program gives it (IAM's default is `/`). */
function roleArnOf(
    inputs: Readonly<Record<string, unknown>>,
    name: string,
    role: (roleName: string) => string,
): string {
    const path = typeof inputs.path === "string" ? inputs.path : "/";
    return role(`${path.slice(1)}${name}`);
}

function accessRoleOf(inputs: Readonly<Record<string, unknown>>): string {
    const source = inputs.sourceConfiguration as
        { authenticationConfiguration?: { accessRoleArn?: string } } | undefined;
    return String(source?.authenticationConfiguration?.accessRoleArn);
}
