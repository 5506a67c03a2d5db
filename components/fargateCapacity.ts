// Where the ARM service's tasks run: a capacity provider strategy over on-demand Fargate and Fargate Spot, with an
// optional floor of on-demand tasks.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkArguments, Problem, wholeNumber } from "./rules";

/** The two capacity providers AWS runs for Fargate; every account has them, a cluster only has to list them. */
export const fargateCapacityProviders = ["FARGATE", "FARGATE_SPOT"] as const;
export type FargateCapacityProvider = (typeof fargateCapacityProviders)[number];

/**
 * Fargate Spot takes ARM64 Linux tasks from platform version 1.4.0 on, and LATEST is that or later for Linux
 * (docs/platform-facts.md, "Fargate Spot for Graviton").
 */
export const fargatePlatformVersion = "LATEST";

/** How many ARM64 tasks may stay on on-demand Fargate: no more than a service may run (ECS itself takes 100,000). */
export const onDemandBaseRule = wholeNumber(0, 100);

/** An on-demand base only means something on Spot. */
export function armSpotProblems(args: { readonly armSpot: boolean; readonly armSpotOnDemandBase: number }): Problem[] {
    return !args.armSpot && args.armSpotOnDemandBase > 0
        ? [
              {
                  key: "armSpotOnDemandBase",
                  value: args.armSpotOnDemandBase,
                  message: "is only used with armSpot: set armSpot to true, or remove armSpotOnDemandBase",
              },
          ]
        : [];
}

export type CapacityProviderStrategy = aws.types.input.ecs.ServiceCapacityProviderStrategy[];

/**
 * Where the ARM tasks run, always through a capacity provider strategy, so that turning Spot on or off, or changing
 * the on-demand base, changes only the strategy, which the provider updates in place when `forceNewDeployment` is
 * set (docs/platform-facts.md, "Fargate Spot for Graviton"). Off Spot: all on FARGATE. On Spot: every task on
 * FARGATE_SPOT except the first `onDemandBase`, which ECS places on FARGATE before it weighs the rest; FARGATE gets
 * weight 0 so it takes nothing beyond that base (ECS API reference, CapacityProviderStrategyItem).
 */
export function armCapacityProviderStrategy(spot: boolean, onDemandBase: number): CapacityProviderStrategy {
    const args = { armSpot: spot, armSpotOnDemandBase: onDemandBase };
    checkArguments("FargateServicePair", { armSpotOnDemandBase: onDemandBaseRule }, args, armSpotProblems);
    if (!spot) {
        return [{ capacityProvider: "FARGATE", weight: 1 }];
    }
    const spotShare = { capacityProvider: "FARGATE_SPOT", weight: 1 };
    return onDemandBase === 0
        ? [spotShare]
        : [{ capacityProvider: "FARGATE", base: onDemandBase, weight: 0 }, spotShare];
}

/** The capacity providers a cluster offers, on-demand FARGATE being the default for a service that names none. */
export function clusterCapacityProviders(
    name: string,
    cluster: aws.ecs.Cluster,
    providers: readonly FargateCapacityProvider[],
    parent: pulumi.Resource,
): aws.ecs.ClusterCapacityProviders {
    return new aws.ecs.ClusterCapacityProviders(
        name,
        {
            clusterName: cluster.name,
            capacityProviders: [...providers],
            defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1 }],
        },
        { parent },
    );
}
