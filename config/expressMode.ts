// `graviton-multiarch:expressMode`: the optional ECS Express Mode service (amd64).
import { z } from "zod";
import { expressModeServiceDefaults } from "../components/expressModeService";
import { expressMemoryByCpu } from "../components/sizing";
import { bool, fromConfigString, int, oneOf } from "./values";

export const expressModeSchema = z
    .strictObject({
        enabled: bool().default(false),
        cpu: z
            .preprocess(fromConfigString, oneOf(Object.keys(expressMemoryByCpu).map(Number)))
            .default(expressModeServiceDefaults.cpu),
        memory: int(512, 8192).default(expressModeServiceDefaults.memory),
    })
    .superRefine((express, ctx) => {
        const allowedMemory = expressMemoryByCpu[express.cpu];
        if (allowedMemory && !allowedMemory.includes(express.memory)) {
            ctx.addIssue({
                code: "custom",
                path: ["memory"],
                input: express.memory,
                message: `ECS Express Mode has no task size with cpu ${express.cpu} and memory ${express.memory}; with cpu ${express.cpu} allowed memory is ${allowedMemory.join(", ")}`,
            });
        }
    });
