// Pulumi type tokens of the resources the pack inspects.
//
// The pack matches on these strings instead of `validateResourceOfType(aws.lambda.Function, ...)` so that it
// does not depend on @pulumi/aws (a large install, and over a second to load in tests) only for type tokens;
// the handful of properties it reads are typed locally where they are read.

export const LAMBDA_FUNCTION = "aws:lambda/function:Function";
export const NATIVE_LAMBDA_FUNCTION = "aws-native:lambda:Function";
/** Lambda Managed Instances capacity providers: `instanceRequirements` is a one-item list here and an object on aws-native. */
export const LAMBDA_CAPACITY_PROVIDER = "aws:lambda/capacityProvider:CapacityProvider";
export const NATIVE_LAMBDA_CAPACITY_PROVIDER = "aws-native:lambda:CapacityProvider";
export const EKS_NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
/** The Cloud Control node group; its architecture inputs carry the same names (instanceTypes, amiType, launchTemplate). */
export const NATIVE_EKS_NODE_GROUP = "aws-native:eks:Nodegroup";
export const EC2_LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
// EC2 launch paths judged by ec2.ts, and the AMIs amis.ts reads an architecture from.
/** The Cloud Control launch template; its AMI and instance type sit under `launchTemplateData` (Pulumi registry, aws-native ec2 LaunchTemplate). */
export const NATIVE_EC2_LAUNCH_TEMPLATE = "aws-native:ec2:LaunchTemplate";
export const EC2_INSTANCE = "aws:ec2/instance:Instance";
export const NATIVE_EC2_INSTANCE = "aws-native:ec2:Instance";
export const AUTOSCALING_GROUP = "aws:autoscaling/group:Group";
export const NATIVE_AUTOSCALING_GROUP = "aws-native:autoscaling:AutoScalingGroup";
export const EC2_SPOT_INSTANCE_REQUEST = "aws:ec2/spotInstanceRequest:SpotInstanceRequest";
export const EC2_SPOT_FLEET_REQUEST = "aws:ec2/spotFleetRequest:SpotFleetRequest";
/** The Cloud Control Spot Fleet; its launch paths sit under `spotFleetRequestConfigData` (Pulumi registry, aws-native ec2 SpotFleet). */
export const NATIVE_EC2_SPOT_FLEET = "aws-native:ec2:SpotFleet";
export const EC2_FLEET = "aws:ec2/fleet:Fleet";
/** The Cloud Control EC2 Fleet (pulumi/pulumi-aws-native sdk/nodejs/ec2/ec2Fleet.ts: `aws-native:ec2:Ec2Fleet`). */
export const NATIVE_EC2_FLEET = "aws-native:ec2:Ec2Fleet";
export const EC2_AMI = "aws:ec2/ami:Ami";
export const EC2_AMI_COPY = "aws:ec2/amiCopy:AmiCopy";
export const ECS_TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
export const APP_RUNNER_SERVICE = "aws:apprunner/service:Service";
export const ECR_REPOSITORY = "aws:ecr/repository:Repository";
export const DOCKER_BUILD_IMAGE = "docker-build:index:Image";
export const DOCKER_BUILD_INDEX = "docker-build:index:Index";
/** The Cloud Control task definition; `requiresCompatibilities` and `runtimePlatform.cpuArchitecture` carry the same names. */
export const NATIVE_ECS_TASK_DEFINITION = "aws-native:ecs:TaskDefinition";
export const ECS_SERVICE = "aws:ecs/service:Service";
/** The Cloud Control service; its strategy is `capacityProviderStrategy` (the classic one's is `capacityProviderStrategies`). */
export const NATIVE_ECS_SERVICE = "aws-native:ecs:Service";
export const ECS_CAPACITY_PROVIDER = "aws:ecs/capacityProvider:CapacityProvider";
export const NATIVE_ECS_CAPACITY_PROVIDER = "aws-native:ecs:CapacityProvider";
export const BATCH_COMPUTE_ENVIRONMENT = "aws:batch/computeEnvironment:ComputeEnvironment";
/** The Cloud Control compute environment; its computeResources follow CloudFormation (`ec2Configuration`, `instanceTypes`). */
export const NATIVE_BATCH_COMPUTE_ENVIRONMENT = "aws-native:batch:ComputeEnvironment";
/** `containerProperties` is a JSON string here and an object on the aws-native job definition. */
export const BATCH_JOB_DEFINITION = "aws:batch/jobDefinition:JobDefinition";
export const NATIVE_BATCH_JOB_DEFINITION = "aws-native:batch:JobDefinition";
export const EMR_SERVERLESS_APPLICATION = "aws:emrserverless/application:Application";
export const NATIVE_EMR_SERVERLESS_APPLICATION = "aws-native:emrserverless:Application";
/** Both carry `environment.type`, `environment.image` and `environment.fleet.fleetArn` (CloudFormation `AWS::CodeBuild::Project Environment`). */
export const CODEBUILD_PROJECT = "aws:codebuild/project:Project";
export const NATIVE_CODEBUILD_PROJECT = "aws-native:codebuild:Project";
/** Compute fleets: `arn` and `environmentType` on both (installed `codebuild/fleet.d.ts`; pulumi-aws-native `sdk/nodejs/codebuild/fleet.ts`). */
export const CODEBUILD_FLEET = "aws:codebuild/fleet:Fleet";
export const NATIVE_CODEBUILD_FLEET = "aws-native:codebuild:Fleet";

/** Types whose resources can be named in an exemption (everything a mandatory policy checks). */
export const EXEMPTIBLE_TYPES: readonly string[] = [
    LAMBDA_FUNCTION,
    NATIVE_LAMBDA_FUNCTION,
    LAMBDA_CAPACITY_PROVIDER,
    NATIVE_LAMBDA_CAPACITY_PROVIDER,
    EKS_NODE_GROUP,
    NATIVE_EKS_NODE_GROUP,
    ECS_TASK_DEFINITION,
    DOCKER_BUILD_IMAGE,
    DOCKER_BUILD_INDEX,
    ECR_REPOSITORY,
    NATIVE_ECS_TASK_DEFINITION,
    ECS_SERVICE,
    NATIVE_ECS_SERVICE,
    EC2_LAUNCH_TEMPLATE,
    NATIVE_EC2_LAUNCH_TEMPLATE,
    EC2_INSTANCE,
    NATIVE_EC2_INSTANCE,
    AUTOSCALING_GROUP,
    NATIVE_AUTOSCALING_GROUP,
    EC2_SPOT_INSTANCE_REQUEST,
    EC2_SPOT_FLEET_REQUEST,
    NATIVE_EC2_SPOT_FLEET,
    EC2_FLEET,
    NATIVE_EC2_FLEET,
    BATCH_COMPUTE_ENVIRONMENT,
    NATIVE_BATCH_COMPUTE_ENVIRONMENT,
    BATCH_JOB_DEFINITION,
    NATIVE_BATCH_JOB_DEFINITION,
    EMR_SERVERLESS_APPLICATION,
    NATIVE_EMR_SERVERLESS_APPLICATION,
    CODEBUILD_PROJECT,
    NATIVE_CODEBUILD_PROJECT,
];
/** Lambda layer versions (aws: `arn` is the version ARN; aws-native: `layerVersionArn`). */
export const LAMBDA_LAYER_VERSION = "aws:lambda/layerVersion:LayerVersion";
export const NATIVE_LAMBDA_LAYER_VERSION = "aws-native:lambda:LayerVersion";
