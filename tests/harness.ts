// The tests' view of the mock runtime (harness/index.ts), plus shared program runs and second checkouts of the
// program.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ProgramRun, projectName, projectRoot, runProgram } from "../harness";

export * from "../harness";

/**
 * Config that switches on every optional runtime but EKS, for tests that need each one registered. EKS has its own
 * run (eksRun): it adds a cluster's worth of resources that most of those tests do not look at.
 */
export const everyRuntime = {
    [`${projectName}:appRunner.enabled`]: true,
    [`${projectName}:expressMode.enabled`]: true,
} as const;

/** Config that switches EKS on (off in both stack files: a cluster costs $0.10 an hour). */
export const withEks = { [`${projectName}:eks.enabled`]: true } as const;

const eksRuns = new Map<string, Promise<ProgramRun>>();

/** The program for a stack as its stack file says, plus EKS; shared by the tests that only read it. */
export function eksRun(stack: string): Promise<ProgramRun> {
    let run = eksRuns.get(stack);
    if (run === undefined) {
        run = runProgram(stack, { config: withEks });
        eksRuns.set(stack, run);
    }
    return run;
}

const everyRuntimeRuns = new Map<string, Promise<ProgramRun>>();

/**
 * The program for a stack with every optional runtime on (App Runner and Express Mode are off in both stack files:
 * accounts new to App Runner cannot create services), shared by the tests that only read it.
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
 * Copies the program to `directory`, as a second `git clone` at another path would have it,
 * sharing this checkout's installed packages. Returns the copy's root.
 */
export function makeCheckout(directory: string): string {
    // What a clone would hold (tracked files, and new ones not ignored): a hand-kept list misses the next folder.
    const tracked = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
        cwd: projectRoot,
        encoding: "utf8",
    }).split("\0");
    for (const file of tracked.filter((entry) => entry !== "" && fs.existsSync(path.join(projectRoot, entry)))) {
        fs.mkdirSync(path.dirname(path.join(directory, file)), { recursive: true });
        fs.copyFileSync(path.join(projectRoot, file), path.join(directory, file));
    }
    linkInstalledPackages(directory);
    return directory;
}

function linkInstalledPackages(directory: string): void {
    fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(directory, "node_modules"), "dir");
    const packModules = path.join(projectRoot, "policy-pack", "node_modules");
    if (fs.existsSync(packModules)) {
        fs.symlinkSync(packModules, path.join(directory, "policy-pack", "node_modules"), "dir");
    }
}

/**
 * The project as it stood at `commit`, in `directory` (its tracked files, as `git archive` gives them), sharing this
 * checkout's installed packages: a release to upgrade from. Fails, naming the commit, in a clone without it.
 */
export function releaseCheckout(commit: string, directory: string): string {
    let archive: Buffer;
    try {
        archive = execFileSync("git", ["archive", "--format=tar", commit], { cwd: projectRoot, maxBuffer: 1 << 28 });
    } catch {
        throw new Error(`commit ${commit} is not in this clone's history: the upgrade tests need a full clone`);
    }
    fs.mkdirSync(directory, { recursive: true });
    execFileSync("tar", ["-x", "-C", directory], { input: archive });
    linkInstalledPackages(directory);
    return directory;
}
