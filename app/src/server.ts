import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";

export const DEFAULT_PORT = 8080;

/** Where the process appears to run, guessed from variables each platform sets. */
export type RuntimeKind = "lambda" | "ecs" | "kubernetes" | "unknown";

export interface RuntimeInfo {
    architecture: string;
    platform: string;
    node: string;
    hostname: string;
    /** Seconds since this process started. */
    uptime: number;
    runtime: RuntimeKind;
}

export function detectRuntime(env: NodeJS.ProcessEnv = process.env): RuntimeKind {
    if (env.AWS_LAMBDA_FUNCTION_NAME) {
        return "lambda";
    }
    if (env.ECS_CONTAINER_METADATA_URI_V4) {
        return "ecs";
    }
    if (env.KUBERNETES_SERVICE_HOST) {
        return "kubernetes";
    }
    return "unknown";
}

export function describeRuntime(env: NodeJS.ProcessEnv = process.env): RuntimeInfo {
    return {
        architecture: os.arch(),
        platform: os.platform(),
        node: process.version,
        hostname: os.hostname(),
        uptime: Math.round(process.uptime() * 1000) / 1000,
        runtime: detectRuntime(env),
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

const HTML_ESCAPES: Record<string, string> = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
};

export function escapeHtml(value: string): string {
    return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

function renderInfoPage(info: RuntimeInfo): string {
    const rows = Object.entries(info)
        .map(([key, value]) => `      <tr><th>${escapeHtml(key)}</th><td>${escapeHtml(String(value))}</td></tr>`)
        .join("\n");
    return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Running on ${escapeHtml(info.architecture)}</title>
  </head>
  <body>
    <h1>Running on ${escapeHtml(info.architecture)}</h1>
    <table>
${rows}
    </table>
  </body>
</html>
`;
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

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.method !== "GET" && req.method !== "HEAD") {
        sendJson(res, 405, { error: "method not allowed", method: req.method ?? "" }, { Allow: "GET, HEAD" });
        return;
    }
    const path = (req.url ?? "/").split("?")[0];
    switch (path) {
        case "/":
            sendJson(res, 200, describeRuntime());
            return;
        case "/info":
            send(res, 200, "text/html; charset=utf-8", renderInfoPage(describeRuntime()));
            return;
        case "/healthz":
            send(res, 200, "text/plain; charset=utf-8", "ok\n");
            return;
        default:
            sendJson(res, 404, { error: "not found", path });
    }
}

/** Creates the HTTP server without listening, so callers choose the port (tests use 0). */
export function createAppServer(): http.Server {
    return http.createServer(handle);
}

export interface StartedServer {
    server: http.Server;
    port: number;
    /** Stops accepting connections, drops idle keep-alive ones and resolves once closed. */
    stop(): Promise<void>;
}

export function start(port: number, log: (line: string) => void = console.log): Promise<StartedServer> {
    const server = createAppServer();
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, () => {
            server.off("error", reject);
            const actualPort = (server.address() as AddressInfo).port;
            const info = describeRuntime();
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
