import { arn, Statement } from "./document";
import { createsTagged, inRegion, StackScope, taggedForStack } from "./scope";

/**
 * The ECS creates the program makes, with tags in the request. The ECS guide's list of tag-on-create actions
 * predates Express Mode; its create is treated as CreateService is (docs/platform-facts.md, "Scoping the deploy role").
 */
const ecsCreateActions = ["CreateCluster", "CreateExpressGatewayService", "CreateService", "RegisterTaskDefinition"];

/** ECS: the clusters, both services, their task definitions, and the Express Mode service. */
export function ecsStatements(scope: StackScope): Statement[] {
    const ecs = (resource: string) => arn(scope, "ecs", resource);
    const ours = [ecs("cluster/*"), ecs("service/*"), ecs("task-definition/*")];
    return [
        {
            // Task definition revisions are read and deregistered without a resource scope.
            Sid: "EcsTaskDefinitionsUnscoped",
            Effect: "Allow",
            Action: ["ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition"],
            Resource: ["*"],
            Condition: inRegion(scope),
        },
        {
            Sid: "EcsCreateTagged",
            Effect: "Allow",
            Action: ecsCreateActions.map((action) => `ecs:${action}`),
            Resource: ours,
            Condition: createsTagged(scope),
        },
        {
            // ECS checks TagResource too when tags come with the create request; ecs:CreateAction keeps this to
            // those creates, so it tags no existing resource.
            Sid: "EcsTagOnCreate",
            Effect: "Allow",
            Action: ["ecs:TagResource"],
            Resource: ours,
            Condition: createsTagged(scope, { "ecs:CreateAction": ecsCreateActions }),
        },
        {
            // waitForSteadyState follows the service deployment until it completes or rolls back; a deployment
            // is a resource of its own that need not carry the service's tags.
            Sid: "EcsServiceDeployments",
            Effect: "Allow",
            Action: ["ecs:DescribeServiceDeployments"],
            Resource: [ecs("service-deployment/*")],
        },
        {
            Sid: "EcsOfTheStack",
            Effect: "Allow",
            Action: [
                "ecs:DeleteCluster",
                "ecs:DeleteExpressGatewayService",
                "ecs:DeleteService",
                "ecs:DescribeClusters",
                "ecs:DescribeExpressGatewayService",
                "ecs:DescribeServiceDeployments",
                "ecs:DescribeServices",
                "ecs:ListServiceDeployments",
                "ecs:ListTagsForResource",
                "ecs:PutClusterCapacityProviders",
                "ecs:TagResource",
                "ecs:UntagResource",
                "ecs:UpdateCluster",
                "ecs:UpdateClusterSettings",
                "ecs:UpdateExpressGatewayService",
                "ecs:UpdateService",
            ],
            Resource: ours,
            Condition: taggedForStack(scope),
        },
    ];
}

/** Service auto scaling: a scalable target and a target-tracking policy per service, whose alarms CloudWatch holds. */
export function autoScalingStatements(scope: StackScope): Statement[] {
    const target = arn(scope, "application-autoscaling", "scalable-target/*");
    return [
        {
            Sid: "AutoScalingDescribe",
            Effect: "Allow",
            Action: [
                "application-autoscaling:DescribeScalableTargets",
                "application-autoscaling:DescribeScalingPolicies",
            ],
            Resource: ["*"],
            Condition: inRegion(scope),
        },
        {
            Sid: "AutoScalingCreateTagged",
            Effect: "Allow",
            Action: ["application-autoscaling:RegisterScalableTarget", "application-autoscaling:TagResource"],
            Resource: [target],
            Condition: createsTagged(scope),
        },
        {
            Sid: "AutoScalingOfTheStack",
            Effect: "Allow",
            Action: [
                "application-autoscaling:DeleteScalingPolicy",
                "application-autoscaling:DeregisterScalableTarget",
                "application-autoscaling:ListTagsForResource",
                "application-autoscaling:PutScalingPolicy",
                "application-autoscaling:RegisterScalableTarget",
                "application-autoscaling:TagResource",
                "application-autoscaling:UntagResource",
            ],
            Resource: [target],
            Condition: taggedForStack(scope),
        },
        {
            // Target tracking names its alarms TargetTracking-<resource id>-...; they carry no tags of ours.
            Sid: "TargetTrackingAlarms",
            Effect: "Allow",
            Action: ["cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm"],
            Resource: [arn(scope, "cloudwatch", "alarm:TargetTracking-service/*")],
        },
    ];
}

/** The arm64 Lambda with its function URL, its log group and the ECS log group. */
export function lambdaAndLogsStatements(scope: StackScope): Statement[] {
    const fn = arn(scope, "lambda", "function:*");
    const logGroup = arn(scope, "logs", "log-group:*");
    return [
        {
            Sid: "LambdaCreateTagged",
            Effect: "Allow",
            Action: ["lambda:CreateFunction", "lambda:TagResource"],
            Resource: [fn],
            Condition: createsTagged(scope),
        },
        {
            Sid: "LambdaOfTheStack",
            Effect: "Allow",
            Action: [
                "lambda:AddPermission",
                "lambda:CreateFunctionUrlConfig",
                "lambda:DeleteFunction",
                "lambda:DeleteFunctionUrlConfig",
                "lambda:GetFunction",
                "lambda:GetFunctionCodeSigningConfig",
                "lambda:GetFunctionConcurrency",
                "lambda:GetFunctionConfiguration",
                "lambda:GetFunctionRecursionConfig",
                "lambda:GetFunctionUrlConfig",
                "lambda:GetPolicy",
                "lambda:GetRuntimeManagementConfig",
                "lambda:ListTags",
                "lambda:ListVersionsByFunction",
                "lambda:RemovePermission",
                "lambda:TagResource",
                "lambda:UntagResource",
                "lambda:UpdateFunctionCode",
                "lambda:UpdateFunctionConfiguration",
                "lambda:UpdateFunctionUrlConfig",
            ],
            Resource: [fn],
            Condition: taggedForStack(scope),
        },
        {
            // DescribeLogGroups lists groups and takes no resource scope.
            Sid: "LogsDescribe",
            Effect: "Allow",
            Action: ["logs:DescribeLogGroups"],
            Resource: ["*"],
            Condition: inRegion(scope),
        },
        {
            Sid: "LogsCreateTagged",
            Effect: "Allow",
            Action: ["logs:CreateLogGroup", "logs:TagLogGroup", "logs:TagResource"],
            Resource: [logGroup],
            Condition: createsTagged(scope),
        },
        {
            Sid: "LogsOfTheStack",
            Effect: "Allow",
            Action: [
                "logs:DeleteLogGroup",
                "logs:DeleteRetentionPolicy",
                "logs:ListTagsForResource",
                "logs:ListTagsLogGroup",
                "logs:PutRetentionPolicy",
                "logs:TagLogGroup",
                "logs:TagResource",
                "logs:UntagLogGroup",
                "logs:UntagResource",
            ],
            Resource: [logGroup],
            Condition: taggedForStack(scope),
        },
    ];
}

/** App Runner (when the stack turns it on): one service. */
export function appRunnerStatements(scope: StackScope): Statement[] {
    const service = arn(scope, "apprunner", "service/*");
    return [
        {
            Sid: "AppRunnerCreateTagged",
            Effect: "Allow",
            Action: ["apprunner:CreateService", "apprunner:TagResource"],
            Resource: [service],
            Condition: createsTagged(scope),
        },
        {
            Sid: "AppRunnerOfTheStack",
            Effect: "Allow",
            Action: [
                "apprunner:DeleteService",
                "apprunner:DescribeService",
                "apprunner:ListOperations",
                "apprunner:ListTagsForResource",
                "apprunner:TagResource",
                "apprunner:UntagResource",
                "apprunner:UpdateService",
            ],
            Resource: [service],
            Condition: taggedForStack(scope),
        },
    ];
}
