// Pulumi records a stack trace for every promise and resource it creates, only to print it if a promise leaks
// (sdk/nodejs/runtime/debuggable.ts, debuggablePromise); ts-node's source-map support would map each frame, which
// doubles the time of a program run. Stacks captured inside the Pulumi SDK keep their first frames, unmapped; every
// other error (assertions, the program's own) keeps its TypeScript line numbers.
import * as path from "path";

const mapStackTrace = Error.prepareStackTrace;
const pulumiSdk = ["", "node_modules", "@pulumi", ""].join(path.sep);

Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
    if (mapStackTrace === undefined || frames[0]?.getFileName()?.includes(pulumiSdk)) {
        return [`${error.name}: ${error.message}`, ...frames.slice(0, 3).map((frame) => `    at ${frame}`)].join("\n");
    }
    return mapStackTrace(error, frames);
};
