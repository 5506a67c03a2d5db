// Starting the pack as the CLI starts a Node policy pack: the run-policy-pack launcher of the pack's own
// @pulumi/pulumi, in the pack directory, with the stack facts in the environment; it answers with its port.

import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import type * as grpcModule from "@grpc/grpc-js";
import type * as analyzerGrpcModule from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerPbModule from "@pulumi/pulumi/proto/analyzer_pb";
import type * as emptyPbModule from "google-protobuf/google/protobuf/empty_pb";
import type * as structPbModule from "google-protobuf/google/protobuf/struct_pb";

import { StackContext } from "./protocol";

export const PACK_DIR = path.resolve(__dirname, "..", "..", "policy-pack");

export interface PackModules {
    grpc: typeof grpcModule;
    analyzerPb: typeof analyzerPbModule;
    analyzerGrpc: typeof analyzerGrpcModule;
    structPb: typeof structPbModule;
    emptyPb: typeof emptyPbModule;
    launcher: string;
}

export function packModules(packDir: string): PackModules {
    const fromPack = createRequire(path.join(packDir, "package.json"));
    const analyzerPbPath = fromPack.resolve("@pulumi/pulumi/proto/analyzer_pb");
    // Resolved from @pulumi/pulumi's own location, so that the Struct and Empty classes are the ones its
    // generated code serialises with.
    const fromSdk = createRequire(analyzerPbPath);
    return {
        grpc: fromSdk("@grpc/grpc-js") as typeof grpcModule,
        analyzerPb: fromSdk(analyzerPbPath) as typeof analyzerPbModule,
        analyzerGrpc: fromSdk("./analyzer_grpc_pb") as typeof analyzerGrpcModule,
        structPb: fromSdk("google-protobuf/google/protobuf/struct_pb") as typeof structPbModule,
        emptyPb: fromSdk("google-protobuf/google/protobuf/empty_pb") as typeof emptyPbModule,
        launcher: path.join(path.dirname(fromPack.resolve("@pulumi/pulumi/package.json")), "cmd", "run-policy-pack"),
    };
}

/**
 * Fails when the pack's compiled JavaScript (its package.json `main`, and each source's own `.js` beside it) is
 * missing or older than its source: the CLI would run stale code without a word. Each file is compared with its
 * own output, since an incremental build writes only what changed.
 */
export function assertPackBuilt(packDir: string = PACK_DIR): void {
    const manifest = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as { main?: string };
    const main = path.join(packDir, manifest.main ?? "index.js");
    if (!fs.existsSync(main)) {
        throw new Error(`${main} does not exist: build the pack first (npm run build:policy)`);
    }
    const outDir = path.dirname(main);
    const stale = fs
        .readdirSync(packDir)
        .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
        .filter((file) => {
            const built = path.join(outDir, file.replace(/\.ts$/, ".js"));
            return !fs.existsSync(built) || fs.statSync(path.join(packDir, file)).mtimeMs > fs.statSync(built).mtimeMs;
        });
    if (stale.length > 0) {
        throw new Error(`the pack's build is older than ${stale.join(", ")}: rebuild it (npm run build:policy)`);
    }
}

/** The environment the CLI gives a Node policy pack (analyzer_plugin.go, constructEnv). */
function packEnvironment(context: StackContext | undefined): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    // A ts-node registration inherited from a test runner would change how the launcher loads the pack.
    delete env.TS_NODE_TRANSPILE_ONLY;
    delete env.NODE_OPTIONS;
    if (context === undefined) {
        return env;
    }
    const set = (key: string, value: string | undefined) => {
        if (value !== undefined && value !== "") {
            env[key] = value;
        }
    };
    set("PULUMI_CONFIG", context.config ? JSON.stringify(context.config) : undefined);
    for (const prefix of ["PULUMI_NODEJS_", "PULUMI_"]) {
        set(`${prefix}ORGANIZATION`, context.organization);
        set(`${prefix}PROJECT`, context.project);
        set(`${prefix}STACK`, context.stack);
        set(`${prefix}DRY_RUN`, String(context.dryRun));
    }
    return env;
}

/** Spawns the pack as the CLI does and resolves with the port from its first stdout line. */
export function launch(
    packDir: string,
    modules: PackModules,
    context: StackContext | undefined,
): Promise<{ child: ChildProcess; port: number; startMs: number }> {
    const started = process.hrtime.bigint();
    // The engine address is where the pack would send log messages; nothing listens there in these runs.
    const child = spawn(process.execPath, [modules.launcher, "127.0.0.1:0", "."], {
        cwd: packDir,
        env: packEnvironment(context),
        stdio: ["ignore", "pipe", "pipe"],
    });
    return new Promise((resolve, reject) => {
        let stdout = "";
        let stderr = "";
        const fail = (reason: string) => {
            child.kill();
            reject(new Error(`${reason}\nstdout: ${stdout}\nstderr: ${stderr}`));
        };
        child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.once("error", (error) => fail(`could not start the pack: ${error.message}`));
        child.once("exit", (code) => fail(`the pack exited with code ${code} before printing its port`));
        const onData = (chunk: Buffer) => {
            stdout += chunk.toString();
            const newline = stdout.indexOf("\n");
            if (newline < 0) {
                return;
            }
            const startMs = Number(process.hrtime.bigint() - started) / 1e6;
            child.stdout?.off("data", onData);
            child.removeAllListeners("exit");
            const port = Number(stdout.slice(0, newline).trim());
            if (!Number.isInteger(port) || port <= 0) {
                fail(`the pack's first line is not a port: "${stdout.slice(0, newline)}"`);
                return;
            }
            resolve({ child, port, startMs });
        };
        child.stdout?.on("data", onData);
    });
}

/** Milliseconds from spawning the pack (as the CLI does) to its port line. */
export async function measurePackStart(packDir: string = PACK_DIR): Promise<number> {
    const { child, startMs } = await launch(packDir, packModules(packDir), undefined);
    child.kill();
    return startMs;
}
