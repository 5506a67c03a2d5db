// A session with the running pack over the Analyzer gRPC protocol, in the order the CLI calls it: Handshake,
// ConfigureStack, GetAnalyzerInfo, GetPluginInfo and Configure once, then Analyze and AnalyzeStack.

import { ChildProcess } from "child_process";
import type { Socket } from "net";
import type * as grpcModule from "@grpc/grpc-js";
import type * as analyzerGrpcModule from "@pulumi/pulumi/proto/analyzer_grpc_pb";

import { PackConfigFile, reconcilePolicyConfig } from "./config";
import {
    analyzeRequest,
    analyzeStackRequest,
    configureRequest,
    stackConfigureRequest,
    toAnalyzerInfo,
    toResult,
} from "./convert";
import { assertPackBuilt, launch, PACK_DIR, PackModules, packModules } from "./launch";
import { AnalysisResult, AnalyzerInfo, EngineResource, ReconciledPolicyConfig, StackContext } from "./protocol";

function promisify<TRequest, TResponse>(
    call: (
        request: TRequest,
        callback: (error: grpcModule.ServiceError | null, response: TResponse) => void,
    ) => unknown,
    request: TRequest,
): Promise<TResponse> {
    return new Promise((resolve, reject) => {
        call(request, (error, response) => (error ? reject(error) : resolve(response)));
    });
}

/** A running graviton-guard pack, configured for one stack, driven as the CLI drives it. */
export class PolicyPackSession {
    private constructor(
        private readonly modules: PackModules,
        private readonly child: ChildProcess,
        private readonly client: analyzerGrpcModule.AnalyzerClient,
        readonly info: AnalyzerInfo,
        readonly pluginVersion: string,
        readonly config: Record<string, ReconciledPolicyConfig>,
        readonly startMs: number,
    ) {}

    /**
     * Starts the pack and takes it through Handshake, ConfigureStack, GetAnalyzerInfo, GetPluginInfo and
     * Configure. `rawConfig` sends a config to Configure as given, skipping the CLI's reconcile and
     * validation, to show what the pack does with config the CLI would not let through.
     */
    static async start(
        context: StackContext,
        options: { config?: PackConfigFile; rawConfig?: Record<string, ReconciledPolicyConfig>; packDir?: string } = {},
    ): Promise<PolicyPackSession> {
        const packDir = options.packDir ?? PACK_DIR;
        assertPackBuilt(packDir);
        const modules = packModules(packDir);
        const { child, port, startMs } = await launch(packDir, modules, context);
        const { analyzerPb, analyzerGrpc, grpc, emptyPb } = modules;
        const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        try {
            const handshake = new analyzerPb.AnalyzerHandshakeRequest()
                .setEngineAddress("127.0.0.1:0")
                .setRootDirectory(packDir)
                .setProgramDirectory(packDir);
            await promisify(client.handshake.bind(client), handshake).catch((error: grpcModule.ServiceError) => {
                // analyzer_plugin.go accepts a pack without Handshake (@pulumi/policy 1.21 has none).
                if (error.code !== grpc.status.UNIMPLEMENTED) {
                    throw error;
                }
            });
            await promisify(client.configureStack.bind(client), stackConfigureRequest(modules, context));
            const info = toAnalyzerInfo(await promisify(client.getAnalyzerInfo.bind(client), new emptyPb.Empty()));
            const pluginInfo: { getVersion(): string } = await promisify(
                client.getPluginInfo.bind(client),
                new emptyPb.Empty(),
            );
            const config = options.rawConfig ?? reconcilePolicyConfig(info, options.config);
            await promisify(client.configure.bind(client), configureRequest(modules, config));
            return new PolicyPackSession(modules, child, client, info, pluginInfo.getVersion(), config, startMs);
        } catch (error) {
            client.close();
            child.kill();
            throw error;
        }
    }

    /** Analyze: one resource's inputs, before the engine operates on it. */
    async analyze(resource: EngineResource): Promise<AnalysisResult> {
        const request = analyzeRequest(this.modules, resource);
        return toResult(await promisify(this.client.analyze.bind(this.client), request));
    }

    /** AnalyzeStack: every resource's outputs, once the steps are done. */
    async analyzeStack(resources: readonly EngineResource[]): Promise<AnalysisResult> {
        const request = analyzeStackRequest(this.modules, resources);
        return toResult(await promisify(this.client.analyzeStack.bind(this.client), request));
    }

    /** A whole run: Analyze for each resource (inputs), then AnalyzeStack (outputs). */
    async run(stack: readonly { inputs: EngineResource; outputs: EngineResource }[]): Promise<AnalysisResult> {
        const results = [];
        for (const { inputs } of stack) {
            results.push(await this.analyze(inputs));
        }
        results.push(await this.analyzeStack(stack.map(({ outputs }) => outputs)));
        return {
            diagnostics: results.flatMap((result) => result.diagnostics),
            notApplicable: results.flatMap((result) => result.notApplicable),
        };
    }

    /**
     * Lets this process end while the pack still runs, as when one pack serves many callers; the owner still
     * closes it (on exit at the latest).
     */
    unref(): void {
        this.child.unref();
        for (const stream of [this.child.stdout, this.child.stderr]) {
            (stream as Socket | null)?.unref();
        }
    }

    close(): void {
        this.client.close();
        this.child.kill();
    }
}
