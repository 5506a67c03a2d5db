// `graviton-multiarch:expressMode`: the optional ECS Express Mode service (amd64).
import { z } from "zod";
import { expressModeServiceDefaults, expressModeServiceRules } from "../components/expressModeService";
import { expressSizes, sizePairProblems } from "../components/sizing";
import { between, bool, setting } from "./values";

export const expressModeSchema = z
    .strictObject({
        enabled: bool().default(false),
        cpu: setting(expressModeServiceRules.cpu).default(expressModeServiceDefaults.cpu),
        memory: setting(expressModeServiceRules.memory).default(expressModeServiceDefaults.memory),
    })
    .superRefine(between((size) => sizePairProblems(expressSizes, size)));
