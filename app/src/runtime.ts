// Where the process runs and on which CPU, told from what each platform documents about its environment.

/** The runtimes the app can tell apart. */
export type RuntimeKind = "lambda" | "ecs-fargate" | "ecs-ec2" | "express" | "apprunner" | "kubernetes" | "local";

/** What a person reads for each runtime. */
export const RUNTIME_NAMES: Readonly<Record<RuntimeKind, string>> = {
    lambda: "AWS Lambda",
    "ecs-fargate": "Amazon ECS on AWS Fargate",
    "ecs-ec2": "Amazon ECS on Amazon EC2",
    express: "Amazon ECS Express Mode",
    apprunner: "AWS App Runner",
    kubernetes: "Kubernetes (Amazon EKS or another cluster)",
    local: "no cloud runtime detected (local)",
};

/**
 * Set by the deployment where the platform documents no variable of its own: App Runner reserves only names
 * starting with AWSAPPRUNNER, and an Express Mode task looks like any other ECS task.
 */
export const APP_RUNTIME_VARIABLE = "APP_RUNTIME";
const declarable: readonly RuntimeKind[] = ["express", "apprunner"];

/**
 * The runtime, from documented variables: Lambda's AWS_LAMBDA_FUNCTION_NAME; ECS's ECS_CONTAINER_METADATA_URI_V4
 * with AWS_EXECUTION_ENV saying AWS_ECS_FARGATE or AWS_ECS_EC2; the KUBERNETES_SERVICE_HOST every pod gets; and
 * APP_RUNTIME for Express Mode and App Runner, which the deployment sets (docs/platform-facts.md, "Telling the
 * runtimes apart").
 */
export function detectRuntime(env: NodeJS.ProcessEnv = process.env): RuntimeKind {
    const declared = env[APP_RUNTIME_VARIABLE] as RuntimeKind | undefined;
    if (declared !== undefined && declarable.includes(declared)) {
        return declared;
    }
    if (env.AWS_LAMBDA_FUNCTION_NAME) {
        return "lambda";
    }
    if (env.ECS_CONTAINER_METADATA_URI_V4) {
        return env.AWS_EXECUTION_ENV === "AWS_ECS_EC2" ? "ecs-ec2" : "ecs-fargate";
    }
    if (env.KUBERNETES_SERVICE_HOST) {
        return "kubernetes";
    }
    return "local";
}

/**
 * The CPU in words: on an AWS runtime an arm64 CPU is a Graviton; elsewhere (a laptop, another cloud) it is only
 * known to be Arm. Node names x86-64 `x64` (docs/platform-facts.md, "Container images and architecture names").
 */
export function describeCpu(architecture: string, runtime: RuntimeKind): string {
    if (architecture === "arm64") {
        return runtime === "local" || runtime === "kubernetes" ? "Arm (arm64)" : "AWS Graviton (arm64)";
    }
    if (architecture === "x64") {
        return "x86_64 (Intel or AMD)";
    }
    return architecture;
}
