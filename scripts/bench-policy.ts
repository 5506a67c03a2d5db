/**
 * Start-up benchmark of the graviton-guard pack: milliseconds from spawning it as the Pulumi CLI does
 * (run-policy-pack, tools/policy-analyzer.ts) to its port line, against loading `@pulumi/policy` alone in a fresh
 * Node process. Prints both medians and their ratio; exit code 1 when the start takes more than 3x the load.
 *
 *   ts-node scripts/bench-policy.ts [--runs <n>]
 */
import { spawn } from "child_process";
import { PACK_DIR, assertPackBuilt, measurePackStart } from "../tools/policy-analyzer";
import { parseFlags, runAsProcess, UsageError, withUsageErrors } from "./cli";

export const MAX_RATIO = 3;

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

export function main(
    argv: readonly string[],
    write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<number> {
    return withUsageErrors(write, async () => {
        const values = parseFlags(argv, { runs: { type: "string" } });
        const runs = values.runs === undefined ? 5 : Number(values.runs);
        if (!Number.isInteger(runs) || runs < 1) {
            throw new UsageError(`--runs takes a positive integer; got "${values.runs}"`);
        }
        const { startMs, loadMs, ratio } = await benchPolicyStart(runs);
        write(`load @pulumi/policy: ${loadMs.toFixed(0)} ms (median of ${runs})\n`);
        write(`pack start to port line: ${startMs.toFixed(0)} ms (median of ${runs})\n`);
        write(`ratio: ${ratio.toFixed(2)} (limit ${MAX_RATIO})\n`);
        return ratio <= MAX_RATIO ? 0 : 1;
    });
}

if (require.main === module) {
    runAsProcess(main);
}
