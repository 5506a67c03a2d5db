// `npm run verify` on what Express Mode leaves in ECS once it is switched off: clusters of the stack (found by the
// tags the program puts on everything) other than the services' and the live Express service's, against mocked
// answers shaped as ListClusters, DescribeClusters and ListServices return them (ECS API reference).
import * as assert from "assert";
import {
    Cluster,
    DescribeClustersCommand,
    ECSClient,
    ListClustersCommand,
    ListServicesCommand,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";

import { checkExpressLeftovers, clusterOfServiceArn } from "../commands/verify";

const ecsMock = mockClient(ECSClient);
const ecs = new ECSClient({ region: "us-east-1" });

const prefix = "arn:aws:ecs:us-east-1:123456789012";
const tags = (stack: string) => [
    { key: "project", value: "graviton-multiarch" },
    { key: "stack", value: stack },
    { key: "managed-by", value: "pulumi" },
];
const cluster = (name: string, stack: string | undefined, status = "ACTIVE"): Cluster => ({
    clusterName: name,
    clusterArn: `${prefix}:cluster/${name}`,
    status,
    tags: stack === undefined ? [] : tags(stack),
});

const web = cluster("web-1234567", "dev");
const express = cluster("express-82f0e72", "dev");
const expressService = `${prefix}:service/express-82f0e72/express-81640883`;

/** The account as DescribeClusters and ListClusters answer, ListClusters in pages of two. */
function mockAccount(clusters: readonly Cluster[], services: Record<string, string[]> = {}): void {
    const byKey = new Map(
        clusters.flatMap((item) => [[item.clusterName, item] as const, [item.clusterArn, item] as const]),
    );
    ecsMock.on(DescribeClustersCommand).callsFake((input: { clusters: string[] }) => ({
        clusters: input.clusters.flatMap((key) => byKey.get(key) ?? []),
        failures: input.clusters.filter((key) => !byKey.has(key)).map((arn) => ({ arn, reason: "MISSING" })),
    }));
    const arns = clusters.map((item) => item.clusterArn ?? "");
    ecsMock.on(ListClustersCommand).callsFake((input: { nextToken?: string }) => {
        const start = Number(input.nextToken ?? 0);
        return {
            clusterArns: arns.slice(start, start + 2),
            nextToken: start + 2 < arns.length ? String(start + 2) : undefined,
        };
    });
    ecsMock
        .on(ListServicesCommand)
        .callsFake((input: { cluster: string }) => ({ serviceArns: services[input.cluster] ?? [] }));
}

describe("verify: what Express Mode left in ECS", () => {
    beforeEach(() => ecsMock.reset());

    it("fails on a cluster of the stack that Express Mode left behind, with how to delete it", async () => {
        mockAccount([web, cluster("other-1111111", "prod"), express, cluster("someone-else", undefined)], {
            "express-82f0e72": [expressService],
        });
        const checks = await checkExpressLeftovers(ecs, { clusterName: web.clusterName ?? "" });
        assert.deepStrictEqual(checks, [
            {
                name: "Express Mode leftovers",
                ok: false,
                detail:
                    "cluster express-82f0e72 (active: express-81640883) is left from Express Mode; delete it: " +
                    `aws ecs delete-express-gateway-service --service-arn ${expressService}, then ` +
                    "wait until `aws ecs describe-services --cluster express-82f0e72 --services express-81640883` reports INACTIVE, then " +
                    "aws ecs delete-cluster --cluster express-82f0e72",
            },
        ]);
        // Every page of ListClusters was read: the leftover is on the second one.
        assert.strictEqual(ecsMock.commandCalls(ListClustersCommand).length, 2);
    });

    it("names a left cluster whose service is still DRAINING, which ListServices does not show", async () => {
        mockAccount([web, express]);
        const [check] = await checkExpressLeftovers(ecs, { clusterName: web.clusterName ?? "" });
        assert.strictEqual(check.ok, false);
        assert.match(
            check.detail,
            /^cluster express-82f0e72 \(no active service\) is left from Express Mode; delete it: wait until no service of it is DRAINING .*, then aws ecs delete-cluster --cluster express-82f0e72$/,
        );
    });

    it("passes while the Express service the stack exported lives in its cluster", async () => {
        mockAccount([web, express], { "express-82f0e72": [expressService] });
        assert.deepStrictEqual(
            await checkExpressLeftovers(ecs, { clusterName: web.clusterName ?? "", expressServiceArn: expressService }),
            [
                {
                    name: "Express Mode leftovers",
                    ok: true,
                    detail: "no ECS cluster of stack dev besides web-1234567 and express-82f0e72",
                },
            ],
        );
    });

    it("passes when only other stacks' clusters and deleted ones of this stack remain", async () => {
        mockAccount([web, cluster("express-0000000", "prod"), cluster("express-1111111", "dev", "INACTIVE")]);
        const checks = await checkExpressLeftovers(ecs, { clusterName: web.clusterName ?? "" });
        assert.deepStrictEqual(
            checks.map((check) => [check.ok, check.detail]),
            [[true, "no ECS cluster of stack dev besides web-1234567"]],
        );
    });

    it("fails when the services' cluster does not say which stack it is", async () => {
        mockAccount([cluster("web-1234567", undefined)]);
        assert.deepStrictEqual(
            (await checkExpressLeftovers(ecs, { clusterName: "web-1234567" })).map((check) => check.detail),
            ["cluster web-1234567 has no project and stack tags: cannot tell which clusters are the stack's"],
        );
        mockAccount([]);
        assert.deepStrictEqual(
            (await checkExpressLeftovers(ecs, { clusterName: "web-1234567" })).map((check) => check.detail),
            ["cluster web-1234567 not found: cannot tell which clusters are the stack's"],
        );
    });

    it("reads the cluster out of an ECS service ARN", () => {
        assert.strictEqual(clusterOfServiceArn(expressService), "express-82f0e72");
        assert.strictEqual(clusterOfServiceArn(`${prefix}:service/old-style-name`), undefined);
    });
});
