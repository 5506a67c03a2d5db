// The preview roles: every read and invoke a preview makes, with any feature on, and nothing that writes. Against the
// project's own model of IAM (iamModel.ts) and of the invokes' calls (invokes.ts), not against AWS.
import * as assert from "assert";
import { runProgram, stackRun } from "../../harness";
import { exampleRepository, runBootstrap } from "./harness";
import { InvokeRequest, invokeRequests } from "./invokes";
import { actionsOf, evaluate, ModelPolicy } from "./iamModel";
import { callsOfRun, contextOf } from "./providerCalls";
import { providerDefaultTags, registeredRoles } from "./roles";
import { previewRun } from "./stackRuns";

const ns = "graviton-bootstrap";
const stateKey = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const withState = {
    [`${ns}:repository`]: exampleRepository,
    [`${ns}:stateBackendUrl`]: "s3://team-state/graviton",
    [`${ns}:kmsKeyArn`]: stateKey,
};

function previewPoliciesOf(roles: ReturnType<typeof registeredRoles>, environment: string): ModelPolicy[] {
    return Object.values(roles[environment].policies);
}

describe("bootstrap: the preview roles", () => {
    it("name only explicit read actions: Describe, Get or List, no wildcard", async () => {
        const roles = registeredRoles(await runBootstrap("ci", { [`${ns}:repository`]: exampleRepository }));
        for (const environment of ["preview-dev", "preview-prod"]) {
            const actions = actionsOf(previewPoliciesOf(roles, environment));
            assert.ok(actions.length > 0, environment);
            for (const action of actions) {
                assert.match(action, /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]+$/, `${environment}: ${action}`);
            }
        }
    });

    it("with a self-managed state: read its own stack's state files, decrypt with that key only, write nothing", async () => {
        const roles = registeredRoles(await runBootstrap("ci", withState));
        const policies = previewPoliciesOf(roles, "preview-prod");
        const decide = (action: string, resource: string) => evaluate(policies, { action, resource, context: {} });
        const checkpoint = "arn:aws:s3:::team-state/graviton/.pulumi/stacks/graviton-multiarch/prod.json";
        assert.strictEqual(decide("s3:GetObject", checkpoint), "allow");
        assert.strictEqual(decide("s3:ListBucket", "arn:aws:s3:::team-state"), "allow");
        assert.strictEqual(decide("kms:Decrypt", stateKey), "allow");
        // A preview takes no lock and writes no history (docs/platform-facts.md, "Pulumi state in S3").
        assert.strictEqual(decide("s3:PutObject", checkpoint), "implicit-deny");
        assert.strictEqual(decide("s3:DeleteObject", checkpoint), "implicit-deny");
        assert.strictEqual(decide("s3:GetObject", "arn:aws:s3:::team-state/elsewhere/data.json"), "implicit-deny");
        assert.strictEqual(decide("s3:GetObject", "arn:aws:s3:::team-state/graviton/.pulumi/meta.yaml"), "allow");
        for (const otherStack of [
            "stacks/graviton-multiarch/dev.json",
            "stacks/graviton-bootstrap/ci.json",
            "history/graviton-multiarch/prod/prod-1.history.json",
        ]) {
            const key = `arn:aws:s3:::team-state/graviton/.pulumi/${otherStack}`;
            assert.strictEqual(decide("s3:GetObject", key), "implicit-deny", otherStack);
        }
        assert.strictEqual(decide("kms:Decrypt", stateKey.replace("1234abcd", "9999abcd")), "implicit-deny");
        assert.strictEqual(decide("kms:Encrypt", stateKey), "implicit-deny");
        // kms:Decrypt is the one action outside Describe/Get/List, and only on the configured key.
        const others = actionsOf(policies).filter((action) => !/^[a-z0-9-]+:(Describe|Get|List)/.test(action));
        assert.deepStrictEqual(others, ["kms:Decrypt"]);
    });

    for (const stack of ["dev", "prod"]) {
        for (const [what, previewOf] of [
            ["as the stack file says", () => runProgram(stack, { preview: true })],
            ["with every optional feature on", () => previewRun(stack)],
        ] as const) {
            it(`allow every AWS call a \`pulumi preview\` of ${stack} makes ${what}, in the stack's region only`, async () => {
                const roles = registeredRoles(await runBootstrap("ci", { [`${ns}:repository`]: exampleRepository }));
                const role = roles[`preview-${stack}`];
                const policies = Object.values(role.policies);
                const preview = await previewOf();
                const needed = new Map<string, InvokeRequest>();
                for (const { token } of preview.invokes) {
                    const requests = invokeRequests(token, role.arn);
                    assert.ok(
                        requests !== undefined,
                        `a preview now invokes ${token}: add what it needs to tests/invokes.ts and to the preview role`,
                    );
                    requests.forEach((request) => needed.set(`${request.action} ${request.resource}`, request));
                }
                // awsx's Vpc lists the region's zones inside its own plugin (pulumi/pulumi-awsx, awsx/ec2/vpc.ts).
                if (preview.resources.some((resource) => resource.type === "awsx:ec2:Vpc")) {
                    needed.set("zones", { action: "ec2:DescribeAvailabilityZones", resource: "*", regional: true });
                }
                assert.ok(needed.size > 0);
                const otherRole = roles[`preview-${stack === "dev" ? "prod" : "dev"}`].arn;
                for (const { action, resource, regional } of needed.values()) {
                    // IAM's endpoint is global, in us-east-1.
                    const inRegion = { "aws:RequestedRegion": regional ? preview.region : "us-east-1" };
                    assert.strictEqual(evaluate(policies, { action, resource, context: inRegion }), "allow", action);
                    // The same call in another region, or the same IAM read of another role (the other stack's).
                    const elsewhere = regional
                        ? { action, resource, context: { "aws:RequestedRegion": "eu-north-1" } }
                        : { action, resource: otherRole, context: inRegion };
                    assert.strictEqual(evaluate(policies, elsewhere), "implicit-deny", action);
                }
                if (what === "with every optional feature on") {
                    // EKS's session context is one of them: the role reads itself.
                    assert.ok(needed.has(`iam:GetRole ${role.arn}`));
                }
            });
        }

        it(`refuse every call \`pulumi up\` of ${stack} makes but the two reads a preview needs`, async () => {
            const roles = registeredRoles(await runBootstrap("ci", { [`${ns}:repository`]: exampleRepository }));
            const policies = previewPoliciesOf(roles, `preview-${stack}`);
            const run = await stackRun(stack);
            const tags = providerDefaultTags(run.resources);
            const allowed = new Set<string>();
            const { calls, unknownTypes } = callsOfRun(run.resources, { account: "123456789012", region: run.region });
            assert.deepStrictEqual(unknownTypes, []);
            for (const call of calls) {
                const context = contextOf(call, tags, run.region);
                if (evaluate(policies, { action: call.action, resource: call.resource, context }) === "allow") {
                    allowed.add(call.action);
                }
            }
            assert.deepStrictEqual([...allowed].sort(), ["ec2:DescribeAvailabilityZones", "ecr:GetAuthorizationToken"]);
        });
    }
});
