// `graviton-multiarch:appRunner`: the optional App Runner service (amd64).
import { z } from "zod";
import { appRunnerServiceDefaults, appRunnerServiceRules } from "../components/appRunnerService";
import { appRunnerSizes, sizePairProblems } from "../components/sizing";
import { between, bool, setting } from "./values";

export const appRunnerSchema = z
    .strictObject({
        enabled: bool().default(false),
        cpu: setting(appRunnerServiceRules.cpu).default(appRunnerServiceDefaults.cpu),
        memory: setting(appRunnerServiceRules.memory).default(appRunnerServiceDefaults.memory),
    })
    .superRefine(between((size) => sizePairProblems(appRunnerSizes, size)));
