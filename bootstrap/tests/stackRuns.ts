// The main program as a deploy job runs it, shared by the tests that check the deploy roles against its calls.
import { everyRuntime, ProgramRun, runProgram } from "../../tests/harness";

const runs = new Map<string, Promise<ProgramRun>>();

/** The program for `stack` with every optional runtime on, so every role and every service is registered. */
export function deployedRun(stack: string): Promise<ProgramRun> {
    let run = runs.get(stack);
    if (run === undefined) {
        run = runProgram(stack, { config: everyRuntime });
        runs.set(stack, run);
    }
    return run;
}
