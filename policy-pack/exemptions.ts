// Keeps exemptions visible: an exemption silences a mandatory policy, so this advisory policy names every
// resource an exemption currently covers, with its reason, on every preview and update.

import type { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { violationMessage } from "./messages";
import { EXEMPTIONS_ONLY_CONFIG_SCHEMA, ExemptionsConfig, configuredExemptions } from "./policyConfig";
import { EXEMPTIBLE_TYPES } from "./resourceTypes";

/**
 * Advisory by nature: it reports decisions already taken. Pulumi gives each policy only its own config, so
 * this policy reads its own `exemptions`; `packConfig()` (policies.ts) writes the same list here and into
 * every mandatory policy. Exemptions that match nothing are not reported, because one pack config usually
 * serves many stacks (a Pulumi Cloud policy group) and each stack holds only some of the named resources.
 */
export const gravitonExemptionsInUse: StackValidationPolicy = {
    name: "graviton-exemptions-in-use",
    description: "Lists every resource that a graviton-guard exemption currently covers, with the recorded reason.",
    enforcementLevel: "advisory",
    configSchema: EXEMPTIONS_ONLY_CONFIG_SCHEMA,
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const exemptions = configuredExemptions(args.getConfig<ExemptionsConfig>());
        if (exemptions.length === 0) {
            args.notApplicable("No exemptions are configured");
        }
        for (const exemption of exemptions) {
            const covered = args.resources.filter(
                (resource) => resource.name === exemption.resourceName && EXEMPTIBLE_TYPES.includes(resource.type),
            );
            for (const resource of covered) {
                reportViolation(
                    violationMessage({
                        subject: `${resource.type} "${resource.name}"`,
                        found: `it is exempt from graviton-guard's architecture rules; reason recorded: ${exemption.reason}`,
                        required: "exemptions stay visible and temporary",
                        fix: "move the resource to arm64 and then remove its exemption from the pack config",
                    }),
                    resource.urn,
                );
            }
        }
    },
};
