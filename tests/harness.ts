// The tests' view of the mock runtime (tools/harness.ts), plus the in-process evaluator's snapshot shape
// and second checkouts of the program.
import * as fs from "fs";
import * as path from "path";
import type { ResourceSnapshot } from "./policy/run";
import { ProgramRun, projectName, projectRoot, runProgram } from "../tools/harness";

export * from "../tools/harness";

/** Config that switches on every optional runtime, for tests that need each one registered. */
export const everyRuntime = { [`${projectName}:appRunner.enabled`]: true } as const;

const everyRuntimeRuns = new Map<string, Promise<ProgramRun>>();

/**
 * The program for a stack with every optional runtime on (App Runner is off in both stack files, because
 * accounts new to it cannot create services), shared by the tests that only read it.
 */
export function everyRuntimeRun(stack: string): Promise<ProgramRun> {
    let run = everyRuntimeRuns.get(stack);
    if (run === undefined) {
        run = runProgram(stack, { config: everyRuntime });
        everyRuntimeRuns.set(stack, run);
    }
    return run;
}

/**
 * The registered resources as the policy pack sees them. The mocks' state holds the inputs
 * plus the computed outputs, which serves both resource policies (inputs) and stack
 * policies (outputs); the id is added so node groups can find launch templates by id.
 */
export function policySnapshots(run: ProgramRun): ResourceSnapshot[] {
    return run.resources
        .filter((resource) => resource.custom)
        .map((resource) => ({
            type: resource.type,
            name: resource.name,
            urn: `urn:pulumi:${run.stack}::${projectName}::${resource.type}::${resource.name}`,
            props: { ...resource.state, id: resource.id },
        }));
}

/** What a checkout of the program holds; tests and tools are not needed to run it. */
const checkoutEntries = [
    "index.ts",
    "config.ts",
    "components",
    "app",
    "policy-pack",
    "package.json",
    "tsconfig.json",
    "Pulumi.yaml",
];

/**
 * Copies the program to `directory`, as a second `git clone` at another path would have it,
 * sharing this checkout's installed packages. Returns the copy's root.
 */
export function makeCheckout(directory: string): string {
    fs.mkdirSync(directory, { recursive: true });
    for (const entry of checkoutEntries) {
        const source = path.join(projectRoot, entry);
        if (fs.existsSync(source)) {
            fs.cpSync(source, path.join(directory, entry), {
                recursive: true,
                filter: (file) => !file.split(path.sep).includes("node_modules"),
            });
        }
    }
    for (const file of fs.readdirSync(projectRoot).filter((name) => /^Pulumi\..+\.yaml$/.test(name))) {
        fs.copyFileSync(path.join(projectRoot, file), path.join(directory, file));
    }
    fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(directory, "node_modules"), "dir");
    const packModules = path.join(projectRoot, "policy-pack", "node_modules");
    if (fs.existsSync(packModules)) {
        fs.symlinkSync(packModules, path.join(directory, "policy-pack", "node_modules"), "dir");
    }
    return directory;
}
