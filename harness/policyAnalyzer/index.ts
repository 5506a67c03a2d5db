// Runs the graviton-guard pack the way the Pulumi CLI runs it, and speaks to it over the Analyzer gRPC protocol:
// launch.ts starts it, session.ts drives it, config.ts reconciles and validates its config as the CLI does,
// convert.ts turns this project's types (protocol.ts) into the protobuf messages and back.
//
// Shared by `npm run check` (commands/check/), the start-up benchmark (commands/benchPolicy/) and the pack's gRPC
// tests (policy-pack/tests/grpc.test.ts), so there is one way the pack is run. What the CLI does, and where it is
// written down in pulumi/pulumi:
//
// - Start: for a Node pack without a language plugin the CLI runs the `pulumi-analyzer-policy` shim with the pack
//   directory as working directory and the arguments `<engine address> .`; the shim runs
//   `node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine address> .` (pkg/resource/plugin/analyzer_plugin.go,
//   NewPolicyAnalyzer). Stack facts go in the environment (constructEnv there): PULUMI_CONFIG, PULUMI_NODEJS_PROJECT,
//   PULUMI_NODEJS_STACK, PULUMI_NODEJS_ORGANIZATION, PULUMI_NODEJS_DRY_RUN and their PULUMI_* twins.
// - The pack prints its port as the first stdout line (@pulumi/policy server.js, serve()).
// - Handshake (Unimplemented is accepted), then ConfigureStack (analyzer_plugin.go), GetAnalyzerInfo,
//   GetPluginInfo, and Configure with the config reconciled from the schema defaults, the pack's initial config
//   and the user's config (pkg/resource/analyzer/config.go, ReconcilePolicyPackConfig/applyConfig), after it
//   was validated against each policy's JSON schema (validatePolicyPackConfig there).
// - Analyze gets a resource's inputs, AnalyzeStack every resource's outputs with parent, dependencies and
//   propertyDependencies (pkg/resource/deploy/step_generator.go, analyzeAll and AnalyzeResources), marshalled
//   with KeepUnknowns and KeepSecrets (pkg/resource/plugin/analyzer_plugin.go, Analyze/AnalyzeStack). Properties
//   with no dependencies are left out of propertyDependencies.
// - A provider's unknown arrives in the engine as a computed string, so the engine passes it on as the string
//   sentinel whatever the property's type (pkg/resource/plugin/rpc.go, UnknownStringValue, marshalUnknownProperty).
//
// The gRPC, protobuf and generated Analyzer modules are loaded from the pack's own install (its
// node_modules/@pulumi/pulumi), not from a copy here: those are the modules the pack's server was built with.

export { PolicyConfigError, reconcilePolicyConfig } from "./config";
export type { PackConfigFile, PolicyConfigEntry } from "./config";
export { assertPackBuilt, measurePackStart, PACK_DIR } from "./launch";
export { secret, UNKNOWN } from "./protocol";
export type {
    AnalysisResult,
    AnalyzerInfo,
    Diagnostic,
    EnforcementLevel,
    EngineResource,
    JsonSchema,
    PolicyInfo,
    ReconciledPolicyConfig,
    StackContext,
} from "./protocol";
export { PolicyPackSession } from "./session";
