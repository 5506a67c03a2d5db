// Holds a destroy back until ECS has finished deleting the Express service: the provider's delete returns while the
// service is still DRAINING, and ECS needs the service's roles and cluster until it has taken its load balancer down
// (docs/platform-facts.md, "Amazon ECS Express Mode"). A dynamic resource that the service depends on, and that depends
// on the roles and the cluster, is deleted after the service and before them; its delete is the wait.
import { DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import * as pulumi from "@pulumi/pulumi";

/** How long a delete waits for the service to leave DRAINING, and how often it asks. */
export interface DrainWaitSettings {
    readonly timeoutMinutes: number;
    readonly pollSeconds: number;
}

/** The provider's own default delete timeout for the service, and the AWS CLI's `services-inactive` interval. */
export const drainWaitDefaults: DrainWaitSettings = { timeoutMinutes: 20, pollSeconds: 15 };

/** Which service to wait for: ECS service names are unique within a cluster. */
export interface DrainTarget {
    readonly clusterName: string;
    readonly serviceName: string;
}

/** Time as the waiter sees it; tests pass a clock that only moves when the waiter sleeps. */
export interface Clock {
    now(): number;
    sleep(milliseconds: number): Promise<void>;
}

const wallClock: Clock = {
    now: () => Date.now(),
    sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
};

/** How a wait ended: ECS reports the service INACTIVE, knows it (or its cluster) no more, or it is not being deleted. */
export type DrainOutcome = "inactive" | "gone" | "active";

/**
 * Asks ECS (DescribeServices) for the service until it is INACTIVE or gone, every `pollSeconds`, and throws once it
 * is still DRAINING after `timeoutMinutes`. An ACTIVE service is not being deleted (the wait was replaced while the
 * service lives on), so there is nothing to wait for.
 */
export async function waitUntilServiceInactive(
    ecs: Pick<ECSClient, "send">,
    target: DrainTarget,
    settings: DrainWaitSettings,
    clock: Clock = wallClock,
): Promise<DrainOutcome> {
    const { clusterName, serviceName } = target;
    const deadline = clock.now() + settings.timeoutMinutes * 60_000;
    for (;;) {
        let status: string | undefined;
        try {
            const answer = await ecs.send(
                new DescribeServicesCommand({ cluster: clusterName, services: [serviceName] }),
            );
            // An unknown service comes back as a failure (reason MISSING), not as an error.
            const service = (answer.services ?? []).find((candidate) => candidate.serviceName === serviceName);
            if (service === undefined) {
                return "gone";
            }
            status = service.status;
        } catch (err) {
            const name = (err as { name?: string }).name;
            if (name === "ClusterNotFoundException" || name === "ServiceNotFoundException") {
                return "gone";
            }
            throw err;
        }
        if (status === "INACTIVE") {
            return "inactive";
        }
        if (status !== "DRAINING") {
            return "active";
        }
        if (clock.now() >= deadline) {
            throw new Error(
                `ECS service ${serviceName} in cluster ${clusterName} is still DRAINING after ${settings.timeoutMinutes} minutes, so its roles and cluster were not deleted: run the destroy again once \`aws ecs describe-services --cluster ${clusterName} --services ${serviceName}\` reports INACTIVE`,
            );
        }
        await clock.sleep(settings.pollSeconds * 1000);
    }
}

/** The resource's state: where the service runs, its name, and the wait's bounds. */
export interface DrainWaitState extends DrainTarget, DrainWaitSettings {
    /** The region of the stack's provider; credentials come from the environment, as the stack's provider takes them. */
    readonly region: string;
}

/** Fields whose change means another service: the wait is replaced, and the old one waits for the old service. */
const identityFields = ["region", "clusterName", "serviceName"] as const;

/**
 * Creating and updating only record the target; deleting waits. Serialized into the state by Pulumi, so the wait runs
 * in `pulumi destroy` too, requiring @aws-sdk/client-ecs from the project's dependencies.
 */
export const drainWaitProvider: pulumi.dynamic.ResourceProvider<DrainWaitState, DrainWaitState> = {
    async create(inputs) {
        return { id: `${inputs.clusterName}/${inputs.serviceName}`, outs: inputs };
    },
    async diff(_id, olds, news) {
        const replaces = identityFields.filter((field) => olds[field] !== news[field]);
        const changes =
            replaces.length > 0 || olds.timeoutMinutes !== news.timeoutMinutes || olds.pollSeconds !== news.pollSeconds;
        return { changes, replaces: [...replaces], deleteBeforeReplace: false };
    },
    async update(_id, _olds, news) {
        return { outs: news };
    },
    async delete(_id, props) {
        await waitUntilServiceInactive(new ECSClient({ region: props.region }), props, props);
    },
};

export interface ExpressServiceDrainWaitArgs {
    readonly region: pulumi.Input<string>;
    readonly clusterName: pulumi.Input<string>;
    readonly serviceName: pulumi.Input<string>;
    readonly timeoutMinutes?: number;
    readonly pollSeconds?: number;
}

/** Deleted after the Express service it names and before what it depends on, once ECS reports that service INACTIVE. */
export class ExpressServiceDrainWait extends pulumi.dynamic.Resource {
    declare public readonly region: pulumi.Output<string>;
    declare public readonly clusterName: pulumi.Output<string>;
    declare public readonly serviceName: pulumi.Output<string>;

    constructor(name: string, args: ExpressServiceDrainWaitArgs, opts?: pulumi.CustomResourceOptions) {
        super(drainWaitProvider, name, { ...drainWaitDefaults, ...args }, opts, "ecs", "ExpressServiceDrainWait");
    }
}
