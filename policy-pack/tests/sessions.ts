// One running pack per stack context and config, shared by the tests of a mocha worker: the CLI, too, sends one
// pack process every Analyze and AnalyzeStack call of an update, and each start costs close to a second of CPU.
import { PolicyPackSession } from "../../harness/policyAnalyzer";

type StartArguments = Parameters<typeof PolicyPackSession.start>;

const starting = new Map<string, Promise<PolicyPackSession>>();
const started: PolicyPackSession[] = [];

/** Keys in a fixed order, so that equal contexts and configs written in another order share a pack. */
function stableJson(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(stableJson).join(",")}]`;
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>)
            .filter(([, entry]) => entry !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : 1));
        return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${stableJson(entry)}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

/** A pack started (once per worker) with this context and these options; stopped when the worker exits. */
export function packSession(...[context, options = {}]: StartArguments): Promise<PolicyPackSession> {
    const key = stableJson([context, options]);
    let session = starting.get(key);
    if (session === undefined) {
        session = PolicyPackSession.start(context, options).then((running) => {
            // Shared until the worker ends, so it must not keep a serial mocha run from ending.
            running.unref();
            started.push(running);
            return running;
        });
        // A failed start is reported to the test that asked; the next one tries again.
        session.catch(() => starting.delete(key));
        starting.set(key, session);
    }
    return session;
}

process.once("exit", () => started.forEach((session) => session.close()));
