import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";

import { configuredShareBody } from "../app/src/configuredShare";
import { imageFactsFromMetadata, readImageFacts } from "../app/src/imageFacts";
import { percentile, readLiveView } from "../app/src/infoPage";
import { describeCpu } from "../app/src/runtime";
import { DEFAULT_PORT, detectRuntime, escapeHtml, parsePort, start, StartedServer } from "../app/src/server";

const REPO_ROOT = path.join(__dirname, "..");
const MAIN_TS = path.join(REPO_ROOT, "app", "src", "main.ts");

interface Reply {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
}

function request(port: number, method: string, urlPath: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
        // agent: false so no keep-alive socket outlives the test and delays server.close().
        const req = http.request({ host: "127.0.0.1", port, method, path: urlPath, agent: false }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (body += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on("error", reject);
        req.end();
    });
}

/** A port the OS just handed out, so parallel test runs do not collide (PORT=0 is rejected by design). */
async function freePort(): Promise<number> {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
}

/** Runs app/src/main.ts through ts-node, as `npm run app` would, with the given PORT. */
function spawnMain(port: string): ChildProcess {
    return spawn(process.execPath, ["-r", "ts-node/register/transpile-only", MAIN_TS], {
        cwd: REPO_ROOT,
        env: { ...process.env, PORT: port },
        stdio: ["ignore", "pipe", "pipe"],
    });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal })));
}

function collect(stream: NodeJS.ReadableStream | null): () => string {
    let text = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => (text += chunk));
    return () => text;
}

describe("app server", () => {
    let started: StartedServer;
    const logLines: string[] = [];

    before(async () => {
        started = await start(0, (line) => logLines.push(line));
    });

    after(async () => {
        await started.stop();
    });

    it("logs one start line naming the port and architecture", () => {
        assert.strictEqual(logLines.length, 1);
        assert.ok(logLines[0].includes(`port ${started.port}`), logLines[0]);
        assert.ok(logLines[0].includes(`architecture=${os.arch()}`), logLines[0]);
    });

    it("GET / describes the process as JSON", async () => {
        const reply = await request(started.port, "GET", "/");
        assert.strictEqual(reply.status, 200);
        assert.match(String(reply.headers["content-type"]), /^application\/json/);
        const body = JSON.parse(reply.body) as Record<string, unknown>;
        assert.strictEqual(body.architecture, os.arch());
        assert.strictEqual(body.platform, os.platform());
        assert.strictEqual(body.node, process.version);
        assert.strictEqual(body.hostname, os.hostname());
        assert.strictEqual(typeof body.uptime, "number");
        assert.ok((body.uptime as number) >= 0);
        assert.strictEqual(body.runtime, detectRuntime());
        assert.deepStrictEqual(body.image, {
            reference: null,
            digest: null,
            source: "not offered by no cloud runtime detected (local)",
        });
    });

    it("GET /?query still serves the root", async () => {
        const reply = await request(started.port, "GET", "/?from=test");
        assert.strictEqual(reply.status, 200);
        assert.strictEqual((JSON.parse(reply.body) as { architecture: string }).architecture, os.arch());
    });

    it("GET /info is an HTML page naming the CPU and runtime, with no resource from elsewhere", async () => {
        const reply = await request(started.port, "GET", "/info");
        assert.strictEqual(reply.status, 200);
        assert.match(String(reply.headers["content-type"]), /^text\/html/);
        const cpu = escapeHtml(describeCpu(os.arch(), detectRuntime()));
        assert.ok(reply.body.includes(`<h1 id="cpu" data-architecture="${os.arch()}">${cpu}</h1>`), reply.body);
        assert.ok(reply.body.includes(`<dd>${escapeHtml(process.version)}</dd>`), reply.body);
        assert.ok(reply.body.includes(`data-runtime="${detectRuntime()}"`), reply.body);
        assert.doesNotMatch(reply.body, /(src|href)="?https?:/);
    });

    it("GET /?query still describes the runtime in words", async () => {
        const body = JSON.parse((await request(started.port, "GET", "/")).body) as Record<string, string>;
        assert.strictEqual(body.cpu, describeCpu(os.arch(), detectRuntime()));
        assert.strictEqual(typeof body.runtimeName, "string");
    });

    it("GET /healthz answers 200", async () => {
        const reply = await request(started.port, "GET", "/healthz");
        assert.strictEqual(reply.status, 200);
        assert.strictEqual(reply.body.trim(), "ok");
    });

    it("HEAD /healthz answers 200 without a body", async () => {
        const reply = await request(started.port, "HEAD", "/healthz");
        assert.strictEqual(reply.status, 200);
        assert.strictEqual(reply.body, "");
    });

    it("an unknown path is a 404 JSON error", async () => {
        const reply = await request(started.port, "GET", "/nope");
        assert.strictEqual(reply.status, 404);
        assert.match(String(reply.headers["content-type"]), /^application\/json/);
        assert.deepStrictEqual(JSON.parse(reply.body), { error: "not found", path: "/nope" });
    });

    it("a POST is a 405 that lists the allowed methods", async () => {
        const reply = await request(started.port, "POST", "/");
        assert.strictEqual(reply.status, 405);
        assert.strictEqual(reply.headers.allow, "GET, HEAD");
    });
});

describe("escapeHtml", () => {
    it("escapes markup characters", () => {
        assert.strictEqual(escapeHtml(`<b a="1">'&'</b>`), "&lt;b a=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;");
    });
});

describe("detectRuntime", () => {
    const ecs = { ECS_CONTAINER_METADATA_URI_V4: "http://169.254.170.2/v4/x" };

    it("recognises Lambda, ECS on Fargate or EC2 and Kubernetes from the variables each sets", () => {
        assert.strictEqual(detectRuntime({ AWS_LAMBDA_FUNCTION_NAME: "fn" }), "lambda");
        assert.strictEqual(detectRuntime({ ...ecs, AWS_EXECUTION_ENV: "AWS_ECS_FARGATE" }), "ecs-fargate");
        assert.strictEqual(detectRuntime({ ...ecs, AWS_EXECUTION_ENV: "AWS_ECS_EC2" }), "ecs-ec2");
        assert.strictEqual(detectRuntime({ KUBERNETES_SERVICE_HOST: "10.100.0.1" }), "kubernetes");
        assert.strictEqual(detectRuntime({}), "local");
    });

    it("takes Express Mode and App Runner from APP_RUNTIME, which the deployment sets, over ECS's own variables", () => {
        assert.strictEqual(
            detectRuntime({ ...ecs, AWS_EXECUTION_ENV: "AWS_ECS_FARGATE", APP_RUNTIME: "express" }),
            "express",
        );
        assert.strictEqual(detectRuntime({ APP_RUNTIME: "apprunner" }), "apprunner");
        // Only the two runtimes that need it can be declared; anything else is read from the platform.
        assert.strictEqual(detectRuntime({ AWS_LAMBDA_FUNCTION_NAME: "fn", APP_RUNTIME: "local" }), "lambda");
    });

    it("names the CPU in words: Graviton on AWS, Arm elsewhere, and x86_64", () => {
        assert.strictEqual(describeCpu("arm64", "ecs-fargate"), "AWS Graviton (arm64)");
        assert.strictEqual(describeCpu("arm64", "lambda"), "AWS Graviton (arm64)");
        assert.strictEqual(describeCpu("arm64", "local"), "Arm (arm64)");
        assert.strictEqual(describeCpu("x64", "express"), "x86_64 (Intel or AMD)");
    });
});

describe("the /info live view's settings", () => {
    it("reads window and interval from the query within bounds", () => {
        assert.deepStrictEqual(readLiveView(new URLSearchParams("")), {
            settings: { window: 20, intervalMs: 1000 },
            problems: [],
        });
        assert.deepStrictEqual(readLiveView(new URLSearchParams("window=50&interval=250")), {
            settings: { window: 50, intervalMs: 250 },
            problems: [],
        });
    });

    it("keeps the default for an out-of-range or malformed value and says which, instead of falling back silently", () => {
        assert.deepStrictEqual(readLiveView(new URLSearchParams("window=1&interval=5")), {
            settings: { window: 20, intervalMs: 1000 },
            problems: [
                'window="1" is not a whole number from 2 to 500; using the default, 20 answers.',
                'interval="5" is not a whole number from 100 to 60000; using the default, 1000 ms.',
            ],
        });
        const markup = readLiveView(new URLSearchParams("window=</script>"));
        assert.strictEqual(markup.settings.window, 20);
        assert.deepStrictEqual(markup.problems, [
            'window="</script>" is not a whole number from 2 to 500; using the default, 20 answers.',
        ]);
    });
});

describe("the /info latency percentiles", () => {
    it("takes the nearest-rank value, whatever the order the answers came in", () => {
        const times = [120, 5, 40, 10, 30, 20, 60, 50, 80, 70, 90, 100, 110, 15, 25, 35, 45, 55, 65, 75];
        assert.strictEqual(percentile(times, 0.5), 50);
        assert.strictEqual(percentile(times, 0.95), 110);
        assert.strictEqual(percentile([7], 0.95), 7);
        assert.strictEqual(percentile([], 0.5), null);
    });
});

describe("the configured share the load balancer answers", () => {
    it("is the two listener weights by Node's architecture names, within the fixed-response body limit", () => {
        assert.deepStrictEqual(JSON.parse(configuredShareBody(30)), { x64: 70, arm64: 30 });
        // A fixed response carries at most 1024 characters (ELB API reference, FixedResponseActionConfig).
        assert.ok(configuredShareBody(100).length <= 1024);
    });
});

describe("the image the process runs", () => {
    const metadata = {
        Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:" + "a".repeat(64),
        ImageID: "sha256:" + "b".repeat(64),
    };

    it("takes Image and ImageID from the ECS container metadata", () => {
        assert.deepStrictEqual(imageFactsFromMetadata(metadata), {
            reference: metadata.Image,
            digest: metadata.ImageID,
            source: "ECS task metadata endpoint v4",
        });
        assert.deepStrictEqual(imageFactsFromMetadata({}), {
            reference: null,
            digest: null,
            source: "ECS task metadata endpoint v4",
        });
    });

    it("says the runtime offers none where there is no metadata endpoint", async () => {
        assert.deepStrictEqual(await readImageFacts({ AWS_LAMBDA_FUNCTION_NAME: "api" }, "lambda"), {
            reference: null,
            digest: null,
            source: "not offered by AWS Lambda",
        });
    });

    it("asks the endpoint in ECS_CONTAINER_METADATA_URI_V4, and GET / answers what it said", async () => {
        const endpoint = http.createServer((req, res) => {
            res.writeHead(req.url === "/v4/task-container" ? 200 : 404, { "Content-Type": "application/json" });
            res.end(JSON.stringify(metadata));
        });
        await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
        const base = `http://127.0.0.1:${(endpoint.address() as net.AddressInfo).port}/v4`;
        const env = { ECS_CONTAINER_METADATA_URI_V4: `${base}/task-container`, AWS_EXECUTION_ENV: "AWS_ECS_FARGATE" };
        const app = await start(0, () => undefined, { env });
        try {
            const body = JSON.parse((await request(app.port, "GET", "/")).body) as { image: unknown };
            assert.deepStrictEqual(body.image, {
                reference: metadata.Image,
                digest: metadata.ImageID,
                source: "ECS task metadata endpoint v4",
            });
            const broken = await readImageFacts({ ECS_CONTAINER_METADATA_URI_V4: `${base}/gone` }, "ecs-fargate");
            assert.deepStrictEqual(broken, {
                reference: null,
                digest: null,
                source: "ECS task metadata endpoint v4: HTTP 404",
            });
        } finally {
            await app.stop();
            await new Promise<void>((resolve) => endpoint.close(() => resolve()));
        }
    });
});

describe("parsePort", () => {
    it("defaults to 8080 when PORT is unset or empty", () => {
        assert.strictEqual(parsePort(undefined), DEFAULT_PORT);
        assert.strictEqual(parsePort(""), DEFAULT_PORT);
        assert.strictEqual(DEFAULT_PORT, 8080);
    });

    it("accepts integers from 1 to 65535", () => {
        assert.strictEqual(parsePort("1"), 1);
        assert.strictEqual(parsePort("65535"), 65535);
        assert.strictEqual(parsePort(" 3000 "), 3000);
    });

    for (const bad of ["0", "65536", "-1", "80.5", "1e3", "0x50", "eighty", "80 81"]) {
        it(`rejects ${JSON.stringify(bad)} with an error naming PORT`, () => {
            assert.throws(() => parsePort(bad), /PORT must be an integer from 1 to 65535/);
        });
    }
});

describe("app process (app/src/main.ts)", () => {
    it("serves, then exits 0 on SIGTERM", async () => {
        const child = spawnMain(String(await freePort()));
        const exited = exitOf(child);
        const stderr = collect(child.stderr);
        try {
            const [, portText, architecture] = await new Promise<RegExpExecArray>((resolve, reject) => {
                let stdout = "";
                child.stdout?.setEncoding("utf8");
                child.stdout?.on("data", (chunk: string) => {
                    stdout += chunk;
                    const match = /listening on port (\d+) \(architecture=(\S+)/.exec(stdout);
                    if (match) {
                        resolve(match);
                    }
                });
                void exited.then(({ code }) => reject(new Error(`app exited early with ${code}: ${stderr()}`)));
            });

            assert.strictEqual(architecture, os.arch());
            const health = await request(Number(portText), "GET", "/healthz");
            assert.strictEqual(health.status, 200);

            child.kill("SIGTERM");
            assert.deepStrictEqual(await exited, { code: 0, signal: null });
        } finally {
            child.kill("SIGKILL");
        }
    });

    it("refuses a bad PORT with a one-line error naming PORT and exit code 1", async () => {
        const child = spawnMain("http");
        const stderr = collect(child.stderr);
        const { code } = await exitOf(child);
        assert.strictEqual(code, 1);
        assert.strictEqual(stderr().trim(), 'error: PORT must be an integer from 1 to 65535, got "http"');
    });
});

describe("npm run app", () => {
    /** Starts `npm run app`, waits for the server, signals the npm process itself, and says what is left. */
    async function signalNpm(signal: NodeJS.Signals): Promise<{ npmExited: boolean; stillServing: boolean }> {
        const port = await freePort();
        const npm = spawn("npm", ["run", "--silent", "app"], {
            cwd: REPO_ROOT,
            env: { ...process.env, PORT: String(port) },
            stdio: ["ignore", "pipe", "pipe"],
            // Its own process group, so that cleanup also reaches a server the signal left behind.
            detached: true,
        });
        const exited = exitOf(npm);
        const stdout = collect(npm.stdout);
        try {
            while (!/listening on port/.test(stdout())) {
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
            npm.kill(signal);
            const npmExited = await Promise.race([
                exited.then(() => true),
                new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 8000)),
            ]);
            const stillServing = await request(port, "GET", "/healthz").then(
                () => true,
                () => false,
            );
            return { npmExited, stillServing };
        } finally {
            try {
                process.kill(-(npm.pid as number), "SIGKILL");
            } catch {
                // The group is gone already: everything stopped.
            }
            npm.stdout?.destroy();
            npm.stderr?.destroy();
        }
    }

    it("stops the server when the npm process gets SIGTERM or SIGINT", async () => {
        // npm forwards these signals to the script's process; the script must be the server, not a shell.
        const [term, int] = await Promise.all([signalNpm("SIGTERM"), signalNpm("SIGINT")]);
        assert.deepStrictEqual(term, { npmExited: true, stillServing: false });
        assert.deepStrictEqual(int, { npmExited: true, stillServing: false });
    });
});
