// The deploy roles with every optional feature on: each feature's calls allowed for the stack's own resources and
// refused for another's. Against the project's own models of IAM (iamModel.ts) and of the providers' calls
// (providerCalls*.ts), not against AWS.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { serviceRoleKinds, ServiceRoleKind } from "../../components/iam";
import { ProgramRun } from "../../harness";
import { tagActions, untagActions } from "../policies/scope";
import { changedTag } from "./callKinds";
import { BootstrapRun, exampleRepository, mockAccountId, runBootstrap } from "./harness";
import { actionsOf, evaluate, IamRequest, ModelPolicy } from "./iamModel";
import { invokeRequests } from "./invokes";
import { callsOfRun, contextOf, ProviderCall, providerCalls } from "./providerCalls";
import { providerDefaultTags, registeredRoles } from "./roles";
import { boundaryOf, bootstrapForDeploys, deployedRun, testCertificateArn, testDomains } from "./stackRuns";

const prefixed = (prefix: string, tags: Readonly<Record<string, string>>) =>
    Object.fromEntries(Object.entries(tags).map(([key, value]) => [`${prefix}/${key}`, value]));

/** Every call of the run, with the verdict of `policies` on it in the stack's own context. */
function verdicts(policies: ModelPolicy[], run: ProgramRun) {
    const tags = providerDefaultTags(run.resources);
    const { calls, unknownTypes } = callsOfRun(run.resources, { account: mockAccountId, region: run.region });
    assert.deepStrictEqual(unknownTypes, [], "resource types without a row in tests/providerCalls*.ts");
    return calls.map((call) => ({
        call,
        decision: evaluate(policies, {
            action: call.action,
            resource: call.resource,
            context: contextOf(call, tags, run.region),
        }),
    }));
}

const describeCall = (call: ProviderCall & { type: string }) => `${call.type}: ${call.action} on ${call.resource}`;

/**
 * Resource types whose `pulumi destroy` makes no delete call of its own: the validation only waits
 * (acm/certificate_validation.go, delete is schema.NoopContext at line 33), and the capacity providers are released
 * with PutClusterCapacityProviders and empty lists (ecs/cluster_capacity_providers.go).
 */
const noDeleteCall = new Set([
    "aws:acm/certificateValidation:CertificateValidation",
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
]);
const deleteAction = /:(Delete|Deregister|Detach|Disassociate|Release|Remove|Revoke)[A-Za-z]*$/;

/** A delete call: one named so, not an untagging, or a Route 53 change batch that deletes (route53/record.go). */
const isDelete = (call: ProviderCall) =>
    (deleteAction.test(call.action) && !untagActions.includes(call.action)) ||
    (call.extra?.["route53:ChangeResourceRecordSetsActions"] ?? []).includes("DELETE");

/**
 * Whether @pulumi/aws gives a resource type a `tags` argument (its `<Name>Args` interface in the SDK), so that a
 * change of the provider's default tags changes that resource's tags in place.
 */
function takesTags(type: string): boolean {
    const [, modulePath, className] = type.split(":");
    const sdk = path.dirname(require.resolve("@pulumi/aws/package.json"));
    const declarations = fs.readFileSync(path.join(sdk, `${modulePath}.d.ts`), "utf8");
    const args = declarations.split(`export interface ${className}Args {`)[1];
    assert.ok(args !== undefined, `no ${className}Args in @pulumi/aws ${modulePath}.d.ts`);
    return /^ {4}tags\?: /m.test(args.split("\n}")[0]);
}

describe("bootstrap: the deploy roles with every optional feature on", () => {
    let bootstrap: BootstrapRun;
    before(async () => {
        bootstrap = await runBootstrap("ci", bootstrapForDeploys);
    });

    for (const [environment, stack, otherEnvironment] of [
        ["dev", "dev", "production"],
        ["production", "prod", "dev"],
    ]) {
        describe(`${environment} (stack ${stack})`, () => {
            const policiesOf = () => Object.values(registeredRoles(bootstrap)[environment].policies);
            const run = () => deployedRun(stack, boundaryOf(bootstrap, environment));

            it("run every invoke `pulumi up` makes: with EKS on, the role reads its own role, no other", async () => {
                const roles = registeredRoles(bootstrap);
                const tokens = new Set((await run()).invokes.map((invoke) => invoke.token));
                assert.ok(tokens.has("aws:iam/getSessionContext:getSessionContext"));
                for (const token of tokens) {
                    const requests = invokeRequests(token, roles[environment].arn);
                    assert.ok(requests !== undefined, `the program now invokes ${token}: add it to tests/invokes.ts`);
                    for (const { action, resource, regional } of requests) {
                        const context = { "aws:RequestedRegion": regional ? (await run()).region : "us-east-1" };
                        assert.strictEqual(evaluate(policiesOf(), { action, resource, context }), "allow", token);
                    }
                }
                const otherRole = { action: "iam:GetRole", resource: roles[otherEnvironment].arn, context: {} };
                assert.strictEqual(evaluate(policiesOf(), otherRole), "implicit-deny");
            });

            it("allow every call `pulumi destroy` makes: each resource AWS keeps has its delete call", async () => {
                const all = verdicts(policiesOf(), await run());
                const awsTypes = new Set(all.map(({ call }) => call.type).filter((type) => type.startsWith("aws:")));
                for (const type of awsTypes) {
                    const deletes = all.filter(({ call }) => call.type === type && isDelete(call));
                    assert.strictEqual(deletes.length > 0, !noDeleteCall.has(type), `${type}: its delete calls`);
                    const refused = deletes.filter(({ decision }) => decision !== "allow");
                    assert.deepStrictEqual(
                        refused.map(({ call }) => describeCall(call)),
                        [],
                    );
                }
                // The features' own resources are among them.
                for (const type of [
                    "aws:acm/certificate:Certificate",
                    "aws:route53/record:Record",
                    "aws:ecs/expressGatewayService:ExpressGatewayService",
                    "aws:eks/cluster:Cluster",
                    "aws:eks/nodeGroup:NodeGroup",
                    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
                    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                ]) {
                    assert.ok(awsTypes.has(type), type);
                }
            });

            it("allow a change of the stack's tags on every resource that takes tags: the tag and untag calls", async () => {
                const all = verdicts(policiesOf(), await run());
                const tagged = [...new Set(all.map(({ call }) => call.type))].filter(
                    (type) => type.startsWith("aws:") && takesTags(type),
                );
                assert.ok(tagged.length >= 25, `only ${tagged.length} tagged resource types`);
                for (const type of tagged) {
                    // On the existing resource: its tags in the context, the changed key in the request.
                    const retags = all.filter(
                        ({ call }) =>
                            call.type === type &&
                            call.kind === "uses" &&
                            [...tagActions, ...untagActions].includes(call.action) &&
                            (call.extra?.["aws:TagKeys"] ?? []).includes(changedTag.key),
                    );
                    const actions = retags.map(({ call }) => call.action);
                    assert.ok(
                        actions.some((action) => tagActions.includes(action)),
                        `${type}: no tag update call`,
                    );
                    assert.ok(
                        actions.some((action) => untagActions.includes(action)),
                        `${type}: no untag call`,
                    );
                    const refused = retags.filter(({ decision }) => decision !== "allow");
                    assert.deepStrictEqual(
                        refused.map(({ call }) => describeCall(call)),
                        [],
                    );
                }
            });

            it("leave the Express service's name to ECS: a name would make the create look it up, untagged", async () => {
                const express = (await run()).ofType("aws:ecs/expressGatewayService:ExpressGatewayService");
                assert.strictEqual(express.length, 1);
                const [service] = express;
                assert.strictEqual(service.inputs.serviceName, undefined);
                const scope = { account: mockAccountId, region: (await run()).region };
                const lookups = (inputs: Record<string, unknown>) =>
                    (providerCalls(service.type, service.name, inputs, scope) ?? []).filter(
                        (call) => call.action === "ecs:DescribeServices",
                    );
                assert.deepStrictEqual(lookups(service.inputs), []);
                // With a name, Create's DescribeServices is on a service that does not exist yet: no tags, so the
                // role's aws:ResourceTag conditions refuse it, and the policy would have to change first.
                const named = lookups({ ...service.inputs, serviceName: "web-express" });
                assert.strictEqual(named.length, 1);
                const tags = providerDefaultTags((await run()).resources);
                const request = {
                    action: named[0].action,
                    resource: named[0].resource,
                    context: contextOf(named[0], tags, scope.region),
                };
                assert.strictEqual(evaluate(policiesOf(), request), "implicit-deny");
            });

            it("with HTTPS on an existing certificate: allow every call, none of them to ACM or Route 53", async () => {
                const certificateRun = await deployedRun(stack, boundaryOf(bootstrap, environment), "certificate");
                const listeners = certificateRun.ofType<{ certificateArn?: string }>("aws:lb/listener:Listener");
                assert.ok(listeners.some((listener) => listener.inputs.certificateArn === testCertificateArn));
                const all = verdicts(policiesOf(), certificateRun);
                assert.deepStrictEqual(
                    all.filter(({ decision }) => decision !== "allow").map(({ call }) => describeCall(call)),
                    [],
                );
                assert.deepStrictEqual(
                    all.filter(({ call }) => /^(acm|route53):/.test(call.action)).map(({ call }) => call.action),
                    [],
                );
            });

            it("request certificates only for the stack's domain, validated by DNS, tagged for the stack", async () => {
                const { domainName } = testDomains[stack];
                const tags = providerDefaultTags((await run()).resources);
                const request = (extra: Record<string, string | string[]>, requestTags = tags): IamRequest => ({
                    action: "acm:RequestCertificate",
                    resource: "*",
                    context: {
                        ...prefixed("aws:RequestTag", requestTags),
                        "aws:RequestedRegion": "us-east-1",
                        "acm:ValidationMethod": "DNS",
                        "acm:DomainNames": [domainName],
                        ...extra,
                    },
                });
                assert.strictEqual(evaluate(policiesOf(), request({})), "allow");
                for (const [why, refused] of [
                    ["another name", request({ "acm:DomainNames": ["evil.example.org"] })],
                    ["a second name", request({ "acm:DomainNames": [domainName, `*.${domainName}`] })],
                    ["email validation", request({ "acm:ValidationMethod": "EMAIL" })],
                    ["another region", request({ "aws:RequestedRegion": "eu-west-1" })],
                    ["another stack's tags", request({}, { ...tags, stack: `${stack}-other` })],
                ] as const) {
                    assert.notStrictEqual(evaluate(policiesOf(), refused), "allow", why);
                }
                const withoutNames = Object.fromEntries(
                    Object.entries(request({}).context).filter(([key]) => key !== "acm:DomainNames"),
                );
                assert.strictEqual(
                    evaluate(policiesOf(), { action: "acm:RequestCertificate", resource: "*", context: withoutNames }),
                    "implicit-deny",
                );
            });

            it("write only the domain's A record and ACM's validation CNAME, and only in the configured zone", () => {
                const { domainName, hostedZoneId } = testDomains[stack];
                const change = (zone: string, names: string[], types: string[]): IamRequest => ({
                    action: "route53:ChangeResourceRecordSets",
                    resource: `arn:aws:route53:::hostedzone/${zone}`,
                    context: {
                        "route53:ChangeResourceRecordSetsNormalizedRecordNames": names,
                        "route53:ChangeResourceRecordSetsRecordTypes": types,
                        "route53:ChangeResourceRecordSetsActions": ["UPSERT"],
                    },
                });
                const validation = `_0123456789abcdef0123456789abcdef.${domainName}`;
                assert.strictEqual(evaluate(policiesOf(), change(hostedZoneId, [domainName], ["A"])), "allow");
                assert.strictEqual(evaluate(policiesOf(), change(hostedZoneId, [validation], ["CNAME"])), "allow");
                for (const [why, refused] of [
                    ["another zone", change("Z0OTHER0000000000000C", [domainName], ["A"])],
                    ["the zone's apex", change(hostedZoneId, ["example.com"], ["A"])],
                    ["a sibling name", change(hostedZoneId, [`evil-${domainName}`], ["A"])],
                    ["a name below the domain", change(hostedZoneId, [`www.${domainName}`], ["CNAME"])],
                    ["a mail record", change(hostedZoneId, [domainName], ["MX"])],
                    ["a text record", change(hostedZoneId, [validation], ["TXT"])],
                    ["one foreign name among ours", change(hostedZoneId, [domainName, "example.com"], ["A"])],
                ] as const) {
                    assert.strictEqual(evaluate(policiesOf(), refused), "implicit-deny", why);
                }
                const zone = `arn:aws:route53:::hostedzone/${hostedZoneId}`;
                const read = (action: string, resource: string) =>
                    evaluate(policiesOf(), { action, resource, context: {} });
                assert.strictEqual(read("route53:GetHostedZone", zone), "allow");
                assert.strictEqual(
                    read("route53:GetHostedZone", "arn:aws:route53:::hostedzone/Z0OTHER"),
                    "implicit-deny",
                );
                assert.strictEqual(read("route53:DeleteHostedZone", zone), "implicit-deny");
                assert.strictEqual(read("route53:GetChange", "arn:aws:route53:::change/C123"), "allow");
            });
        });
    }

    it("give a stack whose domain the bootstrap was not told no ACM or Route 53 right", async () => {
        const withoutDomains = await runBootstrap("ci", { "graviton-bootstrap:repository": exampleRepository });
        for (const [environment, stack] of [
            ["dev", "dev"],
            ["production", "prod"],
        ]) {
            const policies = Object.values(registeredRoles(withoutDomains)[environment].policies);
            // The ownership-tag denies name ACM's tagging actions too; no Allow names either service.
            const allows = policies.map((policy) => ({
                Statement: policy.Statement.filter((statement) => statement.Effect === "Allow"),
            }));
            assert.deepStrictEqual(
                actionsOf(allows).filter((action) => /^(acm|route53):/.test(action)),
                [],
                environment,
            );
            const run = await deployedRun(stack, boundaryOf(withoutDomains, environment));
            const dnsCalls = verdicts(policies, run).filter(({ call }) => /^(acm|route53):/.test(call.action));
            assert.ok(dnsCalls.length > 0);
            assert.ok(dnsCalls.every(({ decision }) => decision !== "allow"));
        }
    });

    it("create each service role only under its sub-path with its own policy as boundary, pass it to its service only", () => {
        const policies = Object.values(registeredRoles(bootstrap).dev.policies);
        const stackBoundary = boundaryOf(bootstrap, "dev");
        const tags = { project: "graviton-multiarch", stack: "dev" };
        const role = (path: string) => `arn:aws:iam::${mockAccountId}:role/graviton-multiarch/dev/${path}role-1a2b3c4`;
        const managed = (kind: ServiceRoleKind) => `arn:aws:iam::aws:policy/${serviceRoleKinds[kind].policy}`;
        const create = (resource: string, boundary: string) =>
            evaluate(policies, {
                action: "iam:CreateRole",
                resource,
                context: { ...prefixed("aws:RequestTag", tags), "iam:PermissionsBoundary": boundary },
            });
        const kinds = Object.keys(serviceRoleKinds) as ServiceRoleKind[];
        for (const kind of kinds) {
            const other = kinds.find((candidate) => candidate !== kind) ?? kind;
            assert.strictEqual(create(role(`${kind}/`), managed(kind)), "allow", kind);
            // Not on the workload path, not with the other kind's policy, not with any other policy.
            assert.strictEqual(create(role(""), managed(kind)), "implicit-deny", kind);
            assert.strictEqual(create(role(`${kind}/`), managed(other)), "implicit-deny", kind);
            assert.strictEqual(
                create(role(`${kind}/`), "arn:aws:iam::aws:policy/AdministratorAccess"),
                "implicit-deny",
            );
            const pass = (service: string) =>
                evaluate(policies, {
                    action: "iam:PassRole",
                    resource: role(`${kind}/`),
                    context: { ...prefixed("aws:ResourceTag", tags), "iam:PassedToService": service },
                });
            assert.strictEqual(pass(serviceRoleKinds[kind].service), "allow", kind);
            for (const service of ["lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "apprunner.amazonaws.com"]) {
                assert.strictEqual(pass(service), "explicit-deny", `${kind} to ${service}`);
            }
        }
        // A workload role on its own path keeps the stack's boundary.
        assert.strictEqual(create(role(""), stackBoundary), "allow");
    });

    it("cannot assume any of the project's roles, even one whose trust policy names it", () => {
        const policies = Object.values(registeredRoles(bootstrap).dev.policies);
        for (const path of ["dev/web-task-1a2b3c4", "dev/eks-cluster/eks-cluster-1a2b3c4", "prod/api-1a2b3c4"]) {
            const resource = `arn:aws:iam::${mockAccountId}:role/graviton-multiarch/${path}`;
            assert.strictEqual(
                evaluate(policies, { action: "sts:AssumeRole", resource, context: {} }),
                "explicit-deny",
                path,
            );
        }
    });
});
