// One running pack per stack context and config, shared by the tests of a mocha worker: the CLI, too, sends one
// pack process every Analyze and AnalyzeStack call of an update, and each start costs close to a second of CPU.
import { isDeepStrictEqual } from "node:util";
import { PolicyPackSession } from "../../harness/policyAnalyzer";

type StartArguments = Parameters<typeof PolicyPackSession.start>;

const starting: { readonly args: StartArguments; readonly session: Promise<PolicyPackSession> }[] = [];
const started: PolicyPackSession[] = [];

/** A pack started (once per worker) with this context and these options; stopped when the worker exits. */
export function packSession(...[context, options = {}]: StartArguments): Promise<PolicyPackSession> {
    const args: StartArguments = [context, options];
    const known = starting.find((entry) => isDeepStrictEqual(entry.args, args));
    if (known !== undefined) {
        return known.session;
    }
    const session = PolicyPackSession.start(context, options).then((running) => {
        // Shared until the worker ends, so it must not keep a serial mocha run from ending.
        running.unref();
        started.push(running);
        return running;
    });
    const entry = { args, session };
    starting.push(entry);
    // A failed start is reported to the test that asked; the next one tries again.
    session.catch(() => starting.splice(starting.indexOf(entry), 1));
    return session;
}

process.once("exit", () => started.forEach((session) => session.close()));
