import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { gravitonExemptionsInUse } from "../exemptions";
import { packConfig, policies, policyConfigSchema } from "../policies";
import { configuredExemptions } from "../policyConfig";
import { DOCKER_BUILD_IMAGE, LAMBDA_FUNCTION } from "../resourceTypes";
import { resource, runStackPolicy } from "./args";

const EXAMPLE_CONFIG_PATH = path.join(__dirname, "..", "policy-config.example.json");
const exemption = {
    resourceName: "reports-fn",
    reason: "Depends on a vendor library with no arm64 build; tracked in OPS-123.",
};

describe("graviton-guard configuration", () => {
    it("names every policy in kebab-case, once, with a one-line description", () => {
        const names = policies.map((policy) => policy.name);
        assert.equal(new Set(names).size, names.length);
        for (const policy of policies) {
            assert.match(policy.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok(policy.description.length > 0 && !policy.description.includes("\n"), policy.name);
            assert.ok(policy.enforcementLevel === "mandatory" || policy.enforcementLevel === "advisory", policy.name);
        }
    });

    it("lets every mandatory policy take exemptions, each requiring a non-blank reason", () => {
        for (const policy of policies.filter((p) => p.enforcementLevel === "mandatory")) {
            const schema = policyConfigSchema[policy.name]?.properties.exemptions;
            assert.ok(typeof schema === "object" && schema.type === "array", policy.name);
            const item = schema.items;
            assert.ok(
                typeof item === "object" && !Array.isArray(item) && item.required?.includes("reason"),
                policy.name,
            );
        }
    });

    it("declares requireGraviton (default false) on the node group policy", () => {
        const schema = policyConfigSchema["eks-nodegroup-architecture-match"].properties.requireGraviton;
        assert.ok(typeof schema === "object");
        assert.equal(schema.type, "boolean");
        assert.equal(schema.default, false);
    });

    it("packConfig writes the exemption list into every policy whose schema accepts it", () => {
        const config = packConfig({
            exemptions: [exemption],
            requireGraviton: true,
            enforcementLevels: { "images-pinned-by-digest": "disabled" },
        });
        for (const [name, schema] of Object.entries(policyConfigSchema)) {
            const section = config[name];
            if ("exemptions" in schema.properties) {
                assert.ok(typeof section === "object", name);
                assert.deepEqual(section.exemptions, [exemption], name);
            }
        }
        assert.deepEqual(config["eks-nodegroup-architecture-match"], {
            exemptions: [exemption],
            requireGraviton: true,
        });
        assert.deepEqual(config["images-pinned-by-digest"], { enforcementLevel: "disabled" });
    });

    it("packConfig leaves out policies with nothing to configure", () => {
        assert.deepEqual(packConfig({}), {});
    });

    it("ships an example config that packConfig would produce and that only uses declared settings", () => {
        const example: unknown = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG_PATH, "utf8"));
        assert.deepEqual(example, packConfig({ requireGraviton: true, exemptions: [exemption] }));
        for (const [name, section] of Object.entries(example as Record<string, Record<string, unknown>>)) {
            const declared = Object.keys(policyConfigSchema[name]?.properties ?? {});
            for (const key of Object.keys(section)) {
                assert.ok(key === "enforcementLevel" || declared.includes(key), `${name}.${key} is not declared`);
            }
        }
    });

    it("drops exemptions without a resource name or a reason", () => {
        const kept = configuredExemptions({
            exemptions: [
                exemption,
                { resourceName: "", reason: "x" },
                { resourceName: "a", reason: "" },
                { resourceName: "b", reason: " \t" },
                { resourceName: "c" } as unknown as typeof exemption,
            ],
        });
        assert.deepEqual(kept, [exemption]);
    });
});

describe("policy graviton-exemptions-in-use", () => {
    const exempted = resource(LAMBDA_FUNCTION, "reports-fn", { architectures: ["x86_64"] });

    it("reports each resource an exemption covers, with the reason", async () => {
        const result = await runStackPolicy(gravitonExemptionsInUse, {
            resources: [exempted],
            config: { exemptions: [exemption] },
        });
        assert.equal(result.violations.length, 1);
        assert.match(
            result.violations[0],
            /aws:lambda\/function:Function "reports-fn": it is exempt from graviton-guard's architecture rules; reason recorded: Depends on a vendor library/,
        );
        assert.equal(result.urns[0], exempted.urn);
    });

    it("does not report an exemption that matches no resource in this stack (the config may serve many stacks)", async () => {
        const result = await runStackPolicy(gravitonExemptionsInUse, {
            resources: [exempted],
            config: { exemptions: [{ ...exemption, resourceName: "elsewhere" }] },
        });
        assert.deepEqual(result.violations, []);
    });

    it("ignores resources of types no policy checks, even with the same name", async () => {
        const bucket = resource("aws:s3/bucket:Bucket", "reports-fn", {});
        assert.deepEqual(
            (
                await runStackPolicy(gravitonExemptionsInUse, {
                    resources: [bucket],
                    config: { exemptions: [exemption] },
                })
            ).violations,
            [],
        );
    });

    it("reports docker-build images covered by an exemption", async () => {
        const image = resource(DOCKER_BUILD_IMAGE, "runner-amd64", { push: true });
        const result = await runStackPolicy(gravitonExemptionsInUse, {
            resources: [image],
            config: { exemptions: [{ resourceName: "runner-amd64", reason: "App Runner is amd64 only" }] },
        });
        assert.equal(result.violations.length, 1);
    });

    it("is not applicable when no exemptions are configured", async () => {
        assert.equal((await runStackPolicy(gravitonExemptionsInUse, { resources: [exempted] })).notApplicable, true);
    });
});
