/**
 * Credential-free check: runs the program for each stack under Pulumi's mock runtime,
 * turns what it registers into what the engine sends in a first preview (outputs the
 * providers compute are unknown), and has the graviton-guard pack judge it over the
 * Analyzer gRPC protocol, started as the Pulumi CLI starts it (harness/policyAnalyzer/).
 * Exit code 0: every stack passes; 1: a mandatory violation or a program error; 2: bad
 * arguments.
 *
 *   npm run check -- [--stack <name>]... [--config <key>=<value>]... [--program <file>] [--help]
 *
 * It uses the same mock runtime as the tests (harness/index.ts), so a fork's pull
 * request, which gets no cloud credentials, is checked exactly as CI checks main.
 */
import { archLabel } from "../../components/eksWorkload";
import { engineResources } from "./engineResources";
import { Diagnostic, PolicyInfo, PolicyPackSession } from "../../harness/policyAnalyzer";
import { ConfigOverrides, listStacks, ProgramRun, projectName, runProgram } from "../../harness";
import { configFlag, defineCommand, parseConfigOverrides, runAsProcess, selectStacks, stackFlag } from "../cli";

export interface CheckOptions {
    readonly stacks: readonly string[];
    /** Config overrides by full key, as `--config graviton-multiarch:service.cpu=512`. */
    readonly config?: ConfigOverrides;
    /** A program entry other than index.ts (relative to the project root). */
    readonly program?: string;
}

/** Which image reference a runtime was given. */
export type DigestKind = "index" | "amd64" | "arm64" | "other";

export interface RuntimeImage {
    readonly runtime: string;
    readonly ref: string;
    readonly kind: DigestKind;
}

export interface PolicyVerdict {
    readonly policy: string;
    readonly enforcementLevel: string;
    readonly violations: readonly string[];
}

export interface StackReport {
    readonly stack: string;
    readonly passed: boolean;
    /** Set when the program itself failed (bad config, a thrown error). */
    readonly error?: string;
    readonly resourceCounts: readonly (readonly [string, number])[];
    readonly images: readonly RuntimeImage[];
    readonly verdicts: readonly PolicyVerdict[];
}

interface ContainerDefinition {
    name?: string;
    image?: string;
}

/** Finds every runtime that pulls an image and classifies the reference it was given. */
export function runtimeImages(run: ProgramRun): RuntimeImage[] {
    const refs: Record<Exclude<DigestKind, "other">, unknown> = {
        index: run.outputs.indexRef,
        amd64: run.outputs.amd64Ref,
        arm64: run.outputs.arm64Ref,
    };
    const kindOf = (ref: string): DigestKind =>
        (Object.keys(refs) as (keyof typeof refs)[]).find((kind) => refs[kind] === ref) ?? "other";
    const images: RuntimeImage[] = [];

    for (const definition of run.ofType<{
        containerDefinitions?: string;
        runtimePlatform?: { cpuArchitecture?: string };
    }>("aws:ecs/taskDefinition:TaskDefinition")) {
        const architecture = definition.inputs.runtimePlatform?.cpuArchitecture ?? "X86_64 (unset)";
        const containers = JSON.parse(definition.inputs.containerDefinitions ?? "[]") as ContainerDefinition[];
        for (const container of containers) {
            const ref = container.image ?? "";
            images.push({ runtime: `ECS Fargate ${architecture} (${definition.name})`, ref, kind: kindOf(ref) });
        }
    }
    for (const fn of run.ofType<{ imageUri?: string; architectures?: string[] }>("aws:lambda/function:Function")) {
        if (fn.inputs.imageUri !== undefined) {
            const architecture = fn.inputs.architectures?.join(",") ?? "x86_64 (unset)";
            images.push({
                runtime: `Lambda ${architecture} (${fn.name})`,
                ref: fn.inputs.imageUri,
                kind: kindOf(fn.inputs.imageUri),
            });
        }
    }
    for (const service of run.ofType<{ sourceConfiguration?: { imageRepository?: { imageIdentifier?: string } } }>(
        "aws:apprunner/service:Service",
    )) {
        const ref = service.inputs.sourceConfiguration?.imageRepository?.imageIdentifier ?? "";
        images.push({ runtime: `App Runner (${service.name})`, ref, kind: kindOf(ref) });
    }
    for (const deployment of run.ofType<{
        spec?: { template?: { spec?: { nodeSelector?: Record<string, string>; containers?: ContainerDefinition[] } } };
    }>("kubernetes:apps/v1:Deployment")) {
        const pod = deployment.inputs.spec?.template?.spec;
        // Without a node selector on the architecture, pods go to any node of any architecture.
        const nodes = pod?.nodeSelector?.[archLabel] ?? "any";
        for (const container of pod?.containers ?? []) {
            const ref = container.image ?? "";
            images.push({ runtime: `EKS ${nodes} nodes (${deployment.name})`, ref, kind: kindOf(ref) });
        }
    }
    // Express Mode's task definition is ECS's own; it runs X86_64 (docs/platform-facts.md, "Amazon ECS Express Mode").
    for (const service of run.ofType<{ primaryContainer?: { image?: string } }>(
        "aws:ecs/expressGatewayService:ExpressGatewayService",
    )) {
        const ref = service.inputs.primaryContainer?.image ?? "";
        images.push({ runtime: `ECS Express Mode X86_64 (${service.name})`, ref, kind: kindOf(ref) });
    }
    return images;
}

// The pack's server puts the policy's description before each message (@pulumi/policy server.js,
// makeReportViolationFun); the report names the policy already.
function messageOf(diagnostic: Diagnostic, policy: PolicyInfo): string {
    const prefix = `${policy.description}\n`;
    return diagnostic.message.startsWith(prefix) ? diagnostic.message.slice(prefix.length) : diagnostic.message;
}

function verdictsOf(
    policies: readonly PolicyInfo[],
    diagnostics: readonly Diagnostic[],
    configuredLevel: (policy: string) => string,
): PolicyVerdict[] {
    return policies.map((policy) => {
        const own = diagnostics.filter((diagnostic) => diagnostic.policyName === policy.name);
        const level = own.some((diagnostic) => diagnostic.enforcementLevel === "mandatory")
            ? "mandatory"
            : (own[0]?.enforcementLevel ?? configuredLevel(policy.name));
        return {
            policy: policy.name,
            enforcementLevel: level,
            violations: own.map((diagnostic) => messageOf(diagnostic, policy)),
        };
    });
}

export async function checkStack(stack: string, options: Omit<CheckOptions, "stacks"> = {}): Promise<StackReport> {
    // A first preview: the shape in which the pack must decide before anything is created. The pack starts in
    // its own process while the program runs, as the CLI starts analyzers alongside the program.
    const starting = PolicyPackSession.start({ project: projectName, stack, dryRun: true });
    // Awaited below; until then a failed start must not count as an unhandled rejection.
    starting.catch(() => undefined);
    let run: ProgramRun;
    try {
        run = await runProgram(stack, { config: options.config, entry: options.program });
    } catch (error) {
        await starting.then(
            (session) => session.close(),
            () => undefined,
        );
        return { stack, passed: false, error: (error as Error).message, resourceCounts: [], images: [], verdicts: [] };
    }
    const counts = new Map<string, number>();
    for (const resource of run.resources) {
        counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
    }
    const session = await starting;
    let diagnostics: Diagnostic[];
    try {
        diagnostics = (await session.run(engineResources(projectName, stack, run.resources, "preview"))).diagnostics;
    } finally {
        session.close();
    }
    return {
        stack,
        passed: !diagnostics.some((diagnostic) => diagnostic.enforcementLevel === "mandatory"),
        resourceCounts: [...counts].sort(([a], [b]) => (a < b ? -1 : 1)),
        images: runtimeImages(run),
        verdicts: verdictsOf(
            session.info.policies,
            diagnostics,
            (policy) => session.config[policy]?.enforcementLevel ?? "advisory",
        ),
    };
}

const shortRef = (ref: string) => ref.replace(/@sha256:([0-9a-f]{12})[0-9a-f]+$/, "@sha256:$1…");

export function formatReport(report: StackReport): string {
    const lines = [`== stack ${report.stack}: ${report.passed ? "PASS" : "FAIL"}`];
    if (report.error !== undefined) {
        lines.push(
            "  the program failed before the policies could run:",
            ...report.error.split("\n").map((line) => `    ${line}`),
        );
        return lines.join("\n");
    }
    const total = report.resourceCounts.reduce((sum, [, count]) => sum + count, 0);
    lines.push(`  resources (${total}):`);
    const width = Math.max(...report.resourceCounts.map(([type]) => type.length));
    for (const [type, count] of report.resourceCounts) {
        lines.push(`    ${type.padEnd(width)}  ${count}`);
    }
    lines.push("  images by runtime:");
    const runtimeWidth = Math.max(0, ...report.images.map((image) => image.runtime.length));
    for (const image of report.images) {
        lines.push(`    ${image.runtime.padEnd(runtimeWidth)}  ${image.kind.padEnd(5)}  ${shortRef(image.ref)}`);
    }
    lines.push("  policies:");
    for (const verdict of report.verdicts) {
        const outcome =
            verdict.violations.length === 0 ? "pass" : verdict.enforcementLevel === "mandatory" ? "FAIL" : "warn";
        lines.push(`    ${outcome.padEnd(4)}  ${verdict.policy} (${verdict.enforcementLevel})`);
        for (const message of verdict.violations) {
            lines.push(`          ${message}`);
        }
    }
    return lines.join("\n");
}

export const checkCommand = defineCommand({
    name: "check",
    summary: [
        "Credential-free check: runs the program for each stack under Pulumi's mock runtime, turns what it",
        "registers into what the engine sends in a first preview, and has the graviton-guard pack judge it over",
        "the Analyzer gRPC protocol, started as the Pulumi CLI starts it. Prints, per stack, which image each",
        "runtime gets and each policy's verdict.",
    ].join("\n"),
    flags: {
        stack: stackFlag("check"),
        config: configFlag,
        program: {
            type: "string",
            value: "<file>",
            description: "a program entry other than index.ts (from the project root)",
        },
    },
    failure: "a mandatory policy failed, or the program failed",
});

export function parseCheckArgs(argv: readonly string[], knownStacks: readonly string[] = listStacks()): CheckOptions {
    const values = checkCommand.parse(argv);
    return {
        stacks: selectStacks(values.stack, knownStacks),
        config: parseConfigOverrides(values.config),
        program: values.program,
    };
}

/** Runs the check and returns the process exit code. */
export const main = checkCommand.main(async (argv, write) => {
    const options = parseCheckArgs(argv);
    let passed = true;
    for (const stack of options.stacks) {
        const report = await checkStack(stack, options);
        write(`${formatReport(report)}\n\n`);
        passed &&= report.passed;
    }
    write(`check: ${passed ? "passed" : "failed"} (${options.stacks.join(", ")})\n`);
    return passed ? 0 : 1;
});

if (require.main === module) {
    runAsProcess(main);
}
