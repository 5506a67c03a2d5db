/**
 * The stack outputs verify needs (index.ts exports them), read from `pulumi stack output --json` or from the same
 * JSON saved to a file.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";

export interface StackOutputs {
    region: string;
    repositoryUrl: string;
    imageTag: string;
    indexRef: string;
    amd64Ref: string;
    arm64Ref: string;
    lambdaFunctionName: string;
    clusterName: string;
    serviceNames: { x86: string; arm64: string };
    /** Absent when the stack has App Runner switched off. */
    appRunnerUrl?: string;
    /** Absent when the stack has EKS switched off. */
    eksClusterName?: string;
    /** Absent when EKS is off (or its load balancer has no host name yet). */
    eksUrl?: string;
    /** The ALB; absent in outputs saved before it was exported, and then its listeners are not checked. */
    loadBalancerArn?: string;
    /** The certificate of the HTTPS listener; absent when the ALB only speaks HTTP. */
    albCertificateArn?: string;
    /**
     * The ARM service's capacity provider strategy: null when it runs on the FARGATE launch type, undefined when the
     * outputs predate it (then not checked).
     */
    armCapacityProviderStrategy?: CapacityProviderStrategyItem[] | null;
    /** Absent when the stack has Express Mode switched off. */
    expressServiceArn?: string;
    /** The stack's CloudWatch dashboard; absent in outputs saved before monitoring, and then not checked. */
    dashboardName?: string;
    /** The stack's alarms, which the ARM service's deployment watches; absent like dashboardName. */
    alarmNames?: string[];
}

export interface CapacityProviderStrategyItem {
    capacityProvider: string;
    base?: number;
    weight?: number;
}

/** Validates `pulumi stack output --json`; every error names the missing or wrong output. */
export function parseStackOutputs(raw: unknown): StackOutputs {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        throw new Error("stack outputs must be a JSON object (pulumi stack output --json)");
    }
    const record = raw as Record<string, unknown>;
    const text = (key: string): string => {
        const value = record[key];
        if (typeof value !== "string" || value === "") {
            throw new Error(`stack output "${key}" must be a non-empty string, got ${JSON.stringify(value)}`);
        }
        return value;
    };
    const services = record.serviceNames;
    if (typeof services !== "object" || services === null) {
        throw new Error(`stack output "serviceNames" must be an object {x86, arm64}, got ${JSON.stringify(services)}`);
    }
    const serviceRecord = services as Record<string, unknown>;
    const serviceName = (key: "x86" | "arm64"): string => {
        const value = serviceRecord[key];
        if (typeof value !== "string" || value === "") {
            throw new Error(
                `stack output "serviceNames.${key}" must be a non-empty string, got ${JSON.stringify(value)}`,
            );
        }
        return value;
    };
    // Optional outputs are null (or absent) while their runtime is off.
    const optionalText = (key: string): string | undefined => {
        const value = record[key];
        if (value !== undefined && value !== null && typeof value !== "string") {
            throw new Error(`stack output "${key}" must be a string when present, got ${JSON.stringify(value)}`);
        }
        return typeof value === "string" && value !== "" ? value : undefined;
    };
    const appRunnerUrl = optionalText("appRunnerUrl");
    return {
        region: text("region"),
        repositoryUrl: text("repositoryUrl"),
        imageTag: text("imageTag"),
        indexRef: text("indexRef"),
        amd64Ref: text("amd64Ref"),
        arm64Ref: text("arm64Ref"),
        lambdaFunctionName: text("lambdaFunctionName"),
        clusterName: text("clusterName"),
        serviceNames: { x86: serviceName("x86"), arm64: serviceName("arm64") },
        appRunnerUrl,
        eksClusterName: optionalText("eksClusterName"),
        eksUrl: optionalText("eksUrl"),
        loadBalancerArn: optionalText("loadBalancerArn"),
        albCertificateArn: optionalText("albCertificateArn"),
        armCapacityProviderStrategy: strategyOf(record.armCapacityProviderStrategy),
        expressServiceArn: optionalText("expressServiceArn"),
        dashboardName: optionalText("dashboardName"),
        alarmNames: alarmNamesOf(record.alarmNames),
    };
}

function alarmNamesOf(value: unknown): string[] | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (!Array.isArray(value) || !value.every((name) => typeof name === "string" && name !== "")) {
        throw new Error(`stack output "alarmNames" must be a list of alarm names, got ${JSON.stringify(value)}`);
    }
    return value as string[];
}

function strategyOf(value: unknown): CapacityProviderStrategyItem[] | null | undefined {
    if (value === undefined || value === null) {
        return value;
    }
    const items = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
    const valid = items.every(
        (item) =>
            typeof item === "object" &&
            item !== null &&
            typeof item.capacityProvider === "string" &&
            ["undefined", "number"].includes(typeof item.base) &&
            ["undefined", "number"].includes(typeof item.weight),
    );
    if (!Array.isArray(value) || !valid) {
        throw new Error(
            `stack output "armCapacityProviderStrategy" must be null or a list of {capacityProvider, base?, weight?}, got ${JSON.stringify(value)}`,
        );
    }
    return items.map((item) => ({
        capacityProvider: item.capacityProvider as string,
        base: item.base as number | undefined,
        weight: item.weight as number | undefined,
    }));
}

export type RunCommand = (
    command: string,
    args: readonly string[],
) => { status: number | null; stdout: string; stderr: string; error?: Error };

const runCommand: RunCommand = (command, args) => {
    const result = spawnSync(command, [...args], { encoding: "utf8" });
    return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "", error: result.error };
};

export function readStackOutputs(stack: string, exec: RunCommand = runCommand): StackOutputs {
    const result = exec("pulumi", ["stack", "output", "--json", "--stack", stack]);
    if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new Error(
            "pulumi CLI not found on PATH: install it, or pass --outputs <file.json> saved from `pulumi stack output --json`",
        );
    }
    if (result.status !== 0) {
        throw new Error(
            `pulumi stack output --json --stack ${stack} failed (exit ${result.status}):\n${result.stderr.trim()}`,
        );
    }
    return parseStackOutputs(JSON.parse(result.stdout));
}

/** Reads outputs saved earlier from `pulumi stack output --json`; every error names the file. */
export function readStackOutputsFile(file: string): StackOutputs {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new Error(`cannot read ${file}: ${(err as Error).message}`);
    }
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch {
        throw new Error(`${file} is not JSON; save it with \`pulumi stack output --json > ${file}\``);
    }
    return parseStackOutputs(raw);
}
