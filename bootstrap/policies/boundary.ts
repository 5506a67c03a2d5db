import { arn, PolicyDocument, policyDocument } from "./document";
import { inRegion, StackScope, taggedForStack } from "./scope";

/**
 * The permissions boundary of one stack's roles: the most any policy of theirs can grant. It allows what the
 * components grant their roles (components/fargateServicePair.ts, armLambda.ts, appRunnerService.ts): pulling the
 * stack's own images, writing logs, ECS Exec's Session Manager channels. A deploy role that may create and change
 * roles only within it cannot make a role with more (docs/platform-facts.md, "Scoping the deploy role").
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
    ]);
}
