/**
 * What Express Mode can leave in ECS once it is switched off, or when a destroy stopped halfway: a cluster of the
 * stack other than the services' own and the live Express service's, with the Express services still in it. The
 * program's clusters carry the stack's `project` and `stack` tags (index.ts, the provider's default tags), read from
 * the services' cluster, so a cluster of the stack is found by them (docs/platform-facts.md, "Amazon ECS Express
 * Mode"). Takes its client, so tests run it against mocks.
 */
import {
    Cluster,
    DescribeClustersCommand,
    ECSClient,
    ListClustersCommand,
    ListServicesCommand,
} from "@aws-sdk/client-ecs";

import { Check, fail, pass } from "./checks";
import { StackOutputs } from "./outputs";

export const leftoversCheckName = "Express Mode leftovers";

const tagOf = (cluster: Cluster, key: string) => cluster.tags?.find((tag) => tag.key === key)?.value;

/** The cluster of an ECS service ARN, `arn:aws:ecs:<region>:<account>:service/<cluster>/<service>`. */
export function clusterOfServiceArn(serviceArn: string): string | undefined {
    const parts = serviceArn.split(":").slice(5).join(":").split("/");
    return parts[0] === "service" && parts.length === 3 ? parts[1] : undefined;
}

async function describeClusters(ecs: Pick<ECSClient, "send">, clusters: readonly string[]): Promise<Cluster[]> {
    const described: Cluster[] = [];
    // At most 100 clusters per DescribeClusters call (ECS API reference).
    for (let start = 0; start < clusters.length; start += 100) {
        const page = await ecs.send(
            new DescribeClustersCommand({ clusters: clusters.slice(start, start + 100), include: ["TAGS"] }),
        );
        described.push(...(page.clusters ?? []));
    }
    return described;
}

async function listAll(
    list: (nextToken?: string) => Promise<{ arns?: string[]; nextToken?: string }>,
): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
        const page = await list(nextToken);
        arns.push(...(page.arns ?? []));
        nextToken = page.nextToken;
    } while (nextToken);
    return arns;
}

/**
 * Fails, naming each one and how to delete it, when an ECS cluster carries the stack's tags but is neither the
 * services' cluster (`clusterName`) nor the cluster of the Express service the stack exported.
 */
export async function checkExpressLeftovers(
    ecs: Pick<ECSClient, "send">,
    outputs: Pick<StackOutputs, "clusterName" | "expressServiceArn">,
): Promise<Check[]> {
    const [own] = await describeClusters(ecs, [outputs.clusterName]);
    const project = own && tagOf(own, "project");
    const stack = own && tagOf(own, "stack");
    if (project === undefined || stack === undefined) {
        return [
            fail(
                leftoversCheckName,
                `cluster ${outputs.clusterName} ${own === undefined ? "not found" : "has no project and stack tags"}: cannot tell which clusters are the stack's`,
            ),
        ];
    }
    const expected = [outputs.clusterName];
    const expressCluster = outputs.expressServiceArn && clusterOfServiceArn(outputs.expressServiceArn);
    if (expressCluster) {
        expected.push(expressCluster);
    }

    const clusterArns = await listAll(async (nextToken) => {
        const page = await ecs.send(new ListClustersCommand({ nextToken }));
        return { arns: page.clusterArns, nextToken: page.nextToken };
    });
    const leftovers = (await describeClusters(ecs, clusterArns)).filter(
        (cluster) =>
            cluster.status !== "INACTIVE" &&
            tagOf(cluster, "project") === project &&
            tagOf(cluster, "stack") === stack &&
            !expected.includes(cluster.clusterName ?? "") &&
            !expected.includes(cluster.clusterArn ?? ""),
    );
    if (leftovers.length === 0) {
        return [pass(leftoversCheckName, `no ECS cluster of stack ${stack} besides ${expected.join(" and ")}`)];
    }

    const problems: string[] = [];
    for (const cluster of leftovers) {
        const clusterName = cluster.clusterName ?? cluster.clusterArn ?? "?";
        // ListServices shows ACTIVE services only: a DRAINING one shows in no list, and keeps the cluster in use.
        const serviceArns = await listAll(async (nextToken) => {
            const page = await ecs.send(new ListServicesCommand({ cluster: clusterName, nextToken }));
            return { arns: page.serviceArns, nextToken: page.nextToken };
        });
        const names = serviceArns.map((arn) => arn.split("/").pop() ?? arn);
        const steps = [
            ...serviceArns.map((arn) => `aws ecs delete-express-gateway-service --service-arn ${arn}`),
            names.length === 0
                ? `wait until no service of it is DRAINING (ListServices does not show those)`
                : `wait until \`aws ecs describe-services --cluster ${clusterName} --services ${names.join(" ")}\` reports INACTIVE`,
            `aws ecs delete-cluster --cluster ${clusterName}`,
        ];
        const services = names.length === 0 ? "no active service" : `active: ${names.join(", ")}`;
        problems.push(
            `cluster ${clusterName} (${services}) is left from Express Mode; delete it: ${steps.join(", then ")}`,
        );
    }
    return [fail(leftoversCheckName, problems.join(" | "))];
}
