// `graviton-multiarch:appRunner`: the optional App Runner service (amd64).
import { z } from "zod";
import { appRunnerServiceDefaults } from "../components/appRunnerService";
import { appRunnerMemoryByCpu } from "../components/sizing";
import { bool, fromConfigString, int, oneOf } from "./values";

export const appRunnerSchema = z
    .strictObject({
        enabled: bool().default(false),
        cpu: z
            .preprocess(fromConfigString, oneOf(Object.keys(appRunnerMemoryByCpu).map(Number)))
            .default(appRunnerServiceDefaults.cpu),
        memory: int(512, 12288).default(appRunnerServiceDefaults.memory),
    })
    .superRefine((appRunner, ctx) => {
        const allowedMemory = appRunnerMemoryByCpu[appRunner.cpu];
        if (allowedMemory && !allowedMemory.includes(appRunner.memory)) {
            ctx.addIssue({
                code: "custom",
                path: ["memory"],
                input: appRunner.memory,
                message: `App Runner has no instance with cpu ${appRunner.cpu} and memory ${appRunner.memory}; with cpu ${appRunner.cpu} allowed memory is ${allowedMemory.join(", ")}`,
            });
        }
    });
