/**
 * Start-up benchmark of the graviton-guard pack: milliseconds from spawning it as the Pulumi CLI does
 * (run-policy-pack, harness/policyAnalyzer/) to its port line, against loading `@pulumi/policy` alone in a fresh
 * Node process. Prints both medians and their ratio; exit code 1 when the start takes more than twice the load.
 *
 *   npm run bench:policy -- [--runs <n>] [--help]
 */
import { spawn } from "child_process";
import { PACK_DIR, assertPackBuilt, measurePackStart } from "../../harness/policyAnalyzer";
import { defineCommand, runAsProcess, UsageError } from "../cli";

export const MAX_RATIO = 2;

/** Milliseconds for a fresh Node process to load @pulumi/policy (from the pack's own install) and exit. */
export function measurePolicyLoad(packDir: string = PACK_DIR): Promise<number> {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ["-e", "require('@pulumi/policy')"], { cwd: packDir, stdio: "ignore" });
    return new Promise((resolve, reject) => {
        child.once("error", reject);
        child.once("exit", (code) =>
            code === 0
                ? resolve(Number(process.hrtime.bigint() - started) / 1e6)
                : reject(new Error(`loading @pulumi/policy exited with ${code}`)),
        );
    });
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface BenchResult {
    startMs: number;
    loadMs: number;
    ratio: number;
}

/** Runs both measurements `runs` times, one after the other (so they do not compete for the CPU). */
export async function benchPolicyStart(runs: number): Promise<BenchResult> {
    assertPackBuilt();
    const starts: number[] = [];
    const loads: number[] = [];
    for (let run = 0; run < runs; run++) {
        loads.push(await measurePolicyLoad());
        starts.push(await measurePackStart());
    }
    const startMs = median(starts);
    const loadMs = median(loads);
    return { startMs, loadMs, ratio: startMs / loadMs };
}

export const benchPolicyCommand = defineCommand({
    name: "bench:policy",
    summary: [
        "Start-up benchmark of the graviton-guard pack: milliseconds from spawning it as the Pulumi CLI does",
        "(run-policy-pack) to its port line, against loading @pulumi/policy alone in a fresh Node process.",
        `Prints both medians and their ratio; the ratio may be at most ${MAX_RATIO}.`,
    ].join("\n"),
    flags: { runs: { type: "string", value: "<n>", description: "how many times to measure each (default 5)" } },
    failure: `the pack takes more than ${MAX_RATIO}x the load of @pulumi/policy to start`,
});

export const main = benchPolicyCommand.main(async (argv, write) => {
    const values = benchPolicyCommand.parse(argv);
    const runs = values.runs === undefined ? 5 : /^\d+$/.test(values.runs) ? Number(values.runs) : NaN;
    if (!Number.isInteger(runs) || runs < 1) {
        throw new UsageError(`--runs takes a positive integer; got "${values.runs}"`);
    }
    const { startMs, loadMs, ratio } = await benchPolicyStart(runs);
    write(`load @pulumi/policy: ${loadMs.toFixed(0)} ms (median of ${runs})\n`);
    write(`pack start to port line: ${startMs.toFixed(0)} ms (median of ${runs})\n`);
    write(`ratio: ${ratio.toFixed(2)} (limit ${MAX_RATIO})\n`);
    return ratio <= MAX_RATIO ? 0 : 1;
});

if (require.main === module) {
    runAsProcess(main);
}
