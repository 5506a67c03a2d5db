// `graviton-multiarch:iam`: the permissions boundary of every role the program creates.
import { z } from "zod";
import { managedPolicyArnPattern } from "../components/iam";
import { text } from "./values";

export const iamSchema = z.strictObject({
    // The bootstrap's deploy roles create roles only with their stack's boundary (docs/platform-facts.md,
    // "Scoping the deploy role"); unset, the roles get none, as a deploy with admin rights may leave it.
    permissionsBoundaryArn: text(
        managedPolicyArnPattern,
        "expected the ARN of an IAM managed policy, like the bootstrap's permissionsBoundaryArn output: arn:aws:iam::123456789012:policy/<name>",
    ).optional(),
});
