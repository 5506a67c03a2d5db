import { parsePort, start } from "./server";

// In-flight requests get this long after SIGTERM before their sockets are cut;
// well under the 30 s ECS waits before it sends SIGKILL.
const SHUTDOWN_GRACE_MS = 5000;

async function main(): Promise<void> {
    let port: number;
    try {
        port = parsePort(process.env.PORT);
    } catch (err) {
        console.error(`error: ${(err as Error).message}`);
        process.exitCode = 1;
        return;
    }

    const started = await start(port);

    let stopping = false;
    const shutdown = (signal: NodeJS.Signals): void => {
        if (stopping) {
            // A second Ctrl-C means "now", not "gracefully".
            process.exit(1);
        }
        stopping = true;
        console.log(`${signal} received, closing server`);
        setTimeout(() => started.server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
        started.stop().then(
            () => process.exit(0),
            (err: Error) => {
                console.error(`error while closing server: ${err.message}`);
                process.exit(1);
            },
        );
    };
    // Explicit handlers matter in a container: as PID 1, node gets no default
    // action for SIGTERM and would ignore `docker stop` until SIGKILL.
    process.on("SIGTERM", shutdown);
    process.on("SIGINT", shutdown);
}

main().catch((err: Error) => {
    // e.g. EADDRINUSE: one readable line instead of an unhandled-rejection stack.
    console.error(`error: ${err.message}`);
    process.exitCode = 1;
});
