// Between this project's types (protocol.ts) and the Analyzer's protobuf messages, built with the classes of the
// pack's own @pulumi/pulumi (launch.ts, packModules), as the CLI marshals them.

import type * as analyzerPbModule from "@pulumi/pulumi/proto/analyzer_pb";
import type * as structPbModule from "google-protobuf/google/protobuf/struct_pb";

import type { PackModules } from "./launch";
import {
    AnalysisResult,
    AnalyzerInfo,
    EngineResource,
    EnforcementLevel,
    JsonSchema,
    ReconciledPolicyConfig,
    StackContext,
} from "./protocol";

type Messages = Pick<PackModules, "analyzerPb" | "structPb">;

const LEVELS: Record<number, EnforcementLevel> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
const LEVEL_NUMBERS: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };

/** ConfigureStack: the stack facts, as the CLI sends them before anything else. */
export function stackConfigureRequest(
    { analyzerPb }: Messages,
    context: StackContext,
): analyzerPbModule.AnalyzerStackConfigureRequest {
    const request = new analyzerPb.AnalyzerStackConfigureRequest()
        .setStack(context.stack)
        .setProject(context.project)
        .setOrganization(context.organization ?? "")
        .setDryRun(context.dryRun);
    for (const [key, value] of Object.entries(context.tags ?? {})) {
        request.getTagsMap().set(key, value);
    }
    for (const [key, value] of Object.entries(context.config ?? {})) {
        request.getConfigMap().set(key, value);
    }
    return request;
}

/** Configure: each policy's reconciled level and properties. */
export function configureRequest(
    { analyzerPb, structPb }: Messages,
    config: Record<string, ReconciledPolicyConfig>,
): analyzerPbModule.ConfigureAnalyzerRequest {
    const request = new analyzerPb.ConfigureAnalyzerRequest();
    for (const [policy, entry] of Object.entries(config)) {
        request
            .getPolicyconfigMap()
            .set(
                policy,
                new analyzerPb.PolicyConfig()
                    .setEnforcementlevel(LEVEL_NUMBERS[entry.enforcementLevel] as analyzerPbModule.EnforcementLevel)
                    .setProperties(
                        structPb.Struct.fromJavaScript(
                            entry.properties as Record<string, structPbModule.JavaScriptValue>,
                        ),
                    ),
            );
    }
    return request;
}

function resourceOptions({ analyzerPb }: Messages, resource: EngineResource): analyzerPbModule.AnalyzerResourceOptions {
    return new analyzerPb.AnalyzerResourceOptions()
        .setProtect(resource.protect ?? false)
        .setCustomtimeouts(new analyzerPb.AnalyzerResourceOptions.CustomTimeouts())
        .setParent(resource.parent ?? "");
}

/** Analyze: one resource's inputs. */
export function analyzeRequest(messages: Messages, resource: EngineResource): analyzerPbModule.AnalyzeRequest {
    const { analyzerPb, structPb } = messages;
    return new analyzerPb.AnalyzeRequest()
        .setUrn(resource.urn)
        .setType(resource.type)
        .setName(resource.name)
        .setProperties(structPb.Struct.fromJavaScript(dropUndefined(resource.properties)))
        .setOptions(resourceOptions(messages, resource));
}

/** AnalyzeStack: every resource's outputs, with parent, dependencies and property dependencies. */
export function analyzeStackRequest(
    messages: Messages,
    resources: readonly EngineResource[],
): analyzerPbModule.AnalyzeStackRequest {
    return new messages.analyzerPb.AnalyzeStackRequest().setResourcesList(
        resources.map((resource) => stackResource(messages, resource)),
    );
}

function stackResource(messages: Messages, resource: EngineResource): analyzerPbModule.AnalyzerResource {
    const { analyzerPb, structPb } = messages;
    const proto = new analyzerPb.AnalyzerResource()
        .setUrn(resource.urn)
        .setType(resource.type)
        .setName(resource.name)
        .setProperties(structPb.Struct.fromJavaScript(dropUndefined(resource.properties)))
        .setOptions(resourceOptions(messages, resource))
        .setParent(resource.parent ?? "")
        .setDependenciesList([...(resource.dependencies ?? [])]);
    for (const [property, urns] of Object.entries(resource.propertyDependencies ?? {})) {
        // The CLI leaves out properties without dependencies.
        if (urns.length > 0) {
            proto
                .getPropertydependenciesMap()
                .set(property, new analyzerPb.AnalyzerPropertyDependencies().setUrnsList([...urns]));
        }
    }
    return proto;
}

// Struct.fromJavaScript rejects undefined; the engine has no undefined either (an unset property is absent).
function dropUndefined(value: Record<string, unknown>): Record<string, structPbModule.JavaScriptValue> {
    return JSON.parse(JSON.stringify(value)) as Record<string, structPbModule.JavaScriptValue>;
}

export function toResult(response: analyzerPbModule.AnalyzeResponse): AnalysisResult {
    return {
        diagnostics: response.getDiagnosticsList().map((diagnostic) => ({
            policyName: diagnostic.getPolicyname(),
            policyPackName: diagnostic.getPolicypackname(),
            policyPackVersion: diagnostic.getPolicypackversion(),
            enforcementLevel: LEVELS[diagnostic.getEnforcementlevel()] ?? "advisory",
            message: diagnostic.getMessage(),
            urn: diagnostic.getUrn(),
        })),
        notApplicable: response
            .getNotApplicableList()
            .map((entry) => ({ policyName: entry.getPolicyName(), reason: entry.getReason() })),
    };
}

export function toAnalyzerInfo(response: analyzerPbModule.AnalyzerInfo): AnalyzerInfo {
    const initialConfig: Record<string, ReconciledPolicyConfig> = {};
    response.getInitialconfigMap().forEach((entry, policy) => {
        initialConfig[policy] = {
            enforcementLevel: LEVELS[entry.getEnforcementlevel()] ?? "advisory",
            properties: (entry.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
        };
    });
    return {
        name: response.getName(),
        version: response.getVersion(),
        supportsConfig: response.getSupportsconfig(),
        initialConfig,
        policies: response.getPoliciesList().map((policy) => {
            const schema = policy.getConfigschema();
            return {
                name: policy.getName(),
                description: policy.getDescription(),
                enforcementLevel: LEVELS[policy.getEnforcementlevel()] ?? "advisory",
                configSchema: schema
                    ? {
                          properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, JsonSchema>,
                          required: schema.getRequiredList(),
                      }
                    : undefined,
            };
        }),
    };
}
