// `graviton-multiarch:lambda`: the arm64 function behind its URL.
import { z } from "zod";
import { armLambdaDefaults, armLambdaRules } from "../components/armLambda";
import { fromRule, retentionDays, setting } from "./values";

export const lambdaSchema = z.strictObject({
    memoryMb: setting(armLambdaRules.memoryMb).default(armLambdaDefaults.memoryMb),
    timeoutSeconds: setting(armLambdaRules.timeoutSeconds).default(armLambdaDefaults.timeoutSeconds),
    urlAuthType: fromRule(armLambdaRules.urlAuthType).default(armLambdaDefaults.urlAuthType),
    logRetentionDays: retentionDays().default(armLambdaDefaults.logRetentionDays),
});
