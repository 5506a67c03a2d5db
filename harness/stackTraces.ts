// Pulumi records a stack trace for every promise and resource it creates; ts-node's
// source-map support then maps each frame, which doubles the time of a program run.
// Stacks captured inside the Pulumi SDK are formatted plainly; every other error
// (assertions, the program's own) keeps its TypeScript line numbers.
import * as path from "path";

const mapStackTrace = Error.prepareStackTrace;
const pulumiSdk = ["", "node_modules", "@pulumi", ""].join(path.sep);

Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => {
    if (mapStackTrace === undefined || frames[0]?.getFileName()?.includes(pulumiSdk)) {
        return [`${error.name}: ${error.message}`, ...frames.map((frame) => `    at ${frame}`)].join("\n");
    }
    return mapStackTrace(error, frames);
};
