import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import { ImageFacts, readImageFacts } from "./imageFacts";
import { readLiveView, renderInfoPage } from "./infoPage";
import { describeCpu, detectRuntime, RUNTIME_NAMES, RuntimeKind } from "./runtime";

export { escapeHtml } from "./infoPage";
export type { ImageFacts } from "./imageFacts";
export { detectRuntime } from "./runtime";
export type { RuntimeKind } from "./runtime";

export const DEFAULT_PORT = 8080;

export interface RuntimeInfo {
    /** Node's name for the CPU: `x64` or `arm64`. */
    architecture: string;
    /** The CPU in words, e.g. "AWS Graviton (arm64)". */
    cpu: string;
    platform: string;
    node: string;
    hostname: string;
    /** Seconds since this process started. */
    uptime: number;
    runtime: RuntimeKind;
    /** The runtime in words, e.g. "Amazon ECS on AWS Fargate". */
    runtimeName: string;
}

/** What `GET /` answers: the process, and the image it runs where the runtime says (else why not). */
export interface Answer extends RuntimeInfo {
    image: ImageFacts;
}

export function describeRuntime(env: NodeJS.ProcessEnv = process.env): RuntimeInfo {
    const runtime = detectRuntime(env);
    return {
        architecture: os.arch(),
        cpu: describeCpu(os.arch(), runtime),
        platform: os.platform(),
        node: process.version,
        hostname: os.hostname(),
        uptime: Math.round(process.uptime() * 1000) / 1000,
        runtime,
        runtimeName: RUNTIME_NAMES[runtime],
    };
}

/**
 * Reads the listening port from the raw `PORT` value; unset or empty means the default.
 * Throws an Error naming `PORT` for anything that is not an integer in 1-65535.
 */
export function parsePort(raw: string | undefined): number {
    if (raw === undefined || raw.trim() === "") {
        return DEFAULT_PORT;
    }
    const text = raw.trim();
    const port = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(port) || port < 1 || port > 65535) {
        throw new Error(`PORT must be an integer from 1 to 65535, got ${JSON.stringify(raw)}`);
    }
    return port;
}

function send(
    res: http.ServerResponse,
    status: number,
    contentType: string,
    body: string,
    extraHeaders: http.OutgoingHttpHeaders = {},
): void {
    res.writeHead(status, {
        "Content-Type": contentType,
        "Content-Length": Buffer.byteLength(body),
        // Every answer describes this very process, so no cache may reuse it.
        "Cache-Control": "no-store",
        ...extraHeaders,
    });
    // Node drops the body of a HEAD response by itself; the headers stay identical.
    res.end(body);
}

function sendJson(
    res: http.ServerResponse,
    status: number,
    payload: unknown,
    extraHeaders?: http.OutgoingHttpHeaders,
): void {
    send(res, status, "application/json; charset=utf-8", JSON.stringify(payload), extraHeaders);
}

async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    env: NodeJS.ProcessEnv,
    imageFacts: () => Promise<ImageFacts>,
): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
        sendJson(res, 405, { error: "method not allowed", method: req.method ?? "" }, { Allow: "GET, HEAD" });
        return;
    }
    const [path, query = ""] = (req.url ?? "/").split("?");
    switch (path) {
        case "/": {
            const answer: Answer = { ...describeRuntime(env), image: await imageFacts() };
            sendJson(res, 200, answer);
            return;
        }
        case "/info": {
            const facts = { ...describeRuntime(env), image: await imageFacts() };
            send(res, 200, "text/html; charset=utf-8", renderInfoPage(facts, readLiveView(new URLSearchParams(query))));
            return;
        }
        case "/healthz":
            send(res, 200, "text/plain; charset=utf-8", "ok\n");
            return;
        default:
            sendJson(res, 404, { error: "not found", path });
    }
}

export interface AppOptions {
    /** Where the runtime is read from; the process's own environment unless a test gives another. */
    env?: NodeJS.ProcessEnv;
}

/** Creates the HTTP server without listening, so callers choose the port (tests use 0). */
export function createAppServer(options: AppOptions = {}): http.Server {
    const env = options.env ?? process.env;
    // The image a task runs never changes, so the first answer is kept; a failed read is tried again next time.
    let known: ImageFacts | undefined;
    const imageFacts = async (): Promise<ImageFacts> => {
        if (known !== undefined) {
            return known;
        }
        const facts = await readImageFacts(env, detectRuntime(env));
        if (facts.digest !== null || !env.ECS_CONTAINER_METADATA_URI_V4) {
            known = facts;
        }
        return facts;
    };
    return http.createServer((req, res) => {
        handle(req, res, env, imageFacts).catch((err: Error) => {
            if (!res.headersSent) {
                sendJson(res, 500, { error: err.message });
            }
        });
    });
}

export interface StartedServer {
    server: http.Server;
    port: number;
    /** Stops accepting connections, drops idle keep-alive ones and resolves once closed. */
    stop(): Promise<void>;
}

export function start(
    port: number,
    log: (line: string) => void = console.log,
    options: AppOptions = {},
): Promise<StartedServer> {
    const server = createAppServer(options);
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, () => {
            server.off("error", reject);
            const actualPort = (server.address() as AddressInfo).port;
            const info = describeRuntime(options.env);
            log(
                `listening on port ${actualPort} (architecture=${info.architecture} platform=${info.platform} node=${info.node} runtime=${info.runtime})`,
            );
            resolve({
                server,
                port: actualPort,
                stop: () =>
                    new Promise<void>((resolveStop, rejectStop) => {
                        server.close((err) => (err ? rejectStop(err) : resolveStop()));
                        // close() waits for open sockets; idle keep-alive ones would hold it up.
                        server.closeIdleConnections();
                    }),
            });
        });
    });
}
