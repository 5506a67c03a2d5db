// Pulumi type tokens of the resources the pack inspects.
//
// The pack matches on these strings instead of `validateResourceOfType(aws.lambda.Function, ...)` so that it
// does not depend on @pulumi/aws (a large install, and over a second to load in tests) only for type tokens;
// the handful of properties it reads are typed locally where they are read.

export const LAMBDA_FUNCTION = "aws:lambda/function:Function";
export const NATIVE_LAMBDA_FUNCTION = "aws-native:lambda:Function";
export const EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
/** The Cloud Control node group; its architecture inputs carry the same names (instanceTypes, amiType, launchTemplate). */
export const NATIVE_EKS_NODE_GROUP = "aws-native:eks:Nodegroup";
export const EC2_LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const ECS_TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
export const APP_RUNNER_SERVICE = "aws:apprunner/service:Service";
export const ECR_REPOSITORY = "aws:ecr/repository:Repository";
export const DOCKER_BUILD_IMAGE = "docker-build:index:Image";
export const DOCKER_BUILD_INDEX = "docker-build:index:Index";
export const BATCH_COMPUTE_ENVIRONMENT = "aws:batch/computeEnvironment:ComputeEnvironment";
/** The Cloud Control compute environment; its computeResources follow CloudFormation (`ec2Configuration`, `instanceTypes`). */
export const NATIVE_BATCH_COMPUTE_ENVIRONMENT = "aws-native:batch:ComputeEnvironment";
/** `containerProperties` is a JSON string here and an object on the aws-native job definition. */
export const BATCH_JOB_DEFINITION = "aws:batch/jobDefinition:JobDefinition";
export const NATIVE_BATCH_JOB_DEFINITION = "aws-native:batch:JobDefinition";
export const EMR_SERVERLESS_APPLICATION = "aws:emrserverless/application:Application";
export const NATIVE_EMR_SERVERLESS_APPLICATION = "aws-native:emrserverless:Application";

/** Types whose resources can be named in an exemption (everything a mandatory policy checks). */
export const EXEMPTIBLE_TYPES: readonly string[] = [
    LAMBDA_FUNCTION,
    NATIVE_LAMBDA_FUNCTION,
    EKS_NODE_GROUP,
    NATIVE_EKS_NODE_GROUP,
    ECS_TASK_DEFINITION,
    DOCKER_BUILD_IMAGE,
    DOCKER_BUILD_INDEX,
    ECR_REPOSITORY,
    BATCH_COMPUTE_ENVIRONMENT,
    NATIVE_BATCH_COMPUTE_ENVIRONMENT,
    BATCH_JOB_DEFINITION,
    NATIVE_BATCH_JOB_DEFINITION,
    EMR_SERVERLESS_APPLICATION,
    NATIVE_EMR_SERVERLESS_APPLICATION,
];
