// `graviton-multiarch:iam`: the permissions boundary of every role the program creates.
import { z } from "zod";
import { policyArn } from "../components/iam";
import { fromRule } from "./values";

export const iamSchema = z.strictObject({
    // The bootstrap's deploy roles create roles only with their stack's boundary (docs/platform-facts.md,
    // "Scoping the deploy role"); unset, the roles get none, as a deploy with admin rights may leave it.
    permissionsBoundaryArn: fromRule(policyArn).optional(),
});
