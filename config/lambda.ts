// `graviton-multiarch:lambda`: the arm64 function behind its URL.
import { z } from "zod";
import { armLambdaDefaults, functionUrlAuthTypes } from "../components/armLambda";
import { choice, fromConfigString, int, logRetentionDays, oneOf } from "./values";

export const lambdaSchema = z.strictObject({
    memoryMb: int(128, 10240).default(armLambdaDefaults.memoryMb),
    timeoutSeconds: int(1, 900).default(armLambdaDefaults.timeoutSeconds),
    urlAuthType: choice(functionUrlAuthTypes).default(armLambdaDefaults.urlAuthType),
    logRetentionDays: z
        .preprocess(fromConfigString, oneOf(logRetentionDays))
        .default(armLambdaDefaults.logRetentionDays),
});
