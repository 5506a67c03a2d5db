// The pack's entry point for the Pulumi CLI. Constructing PolicyPack starts the analyzer's gRPC server,
// so nothing else imports this file; the policies live in policies.ts.

import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, {
    policies,
    description:
        "Keeps Lambda, EKS node groups, ECS task definitions and ECR images on the intended CPU architecture (arm64 / Graviton).",
    displayName: "Graviton guard",
    provider: "aws",
    tags: ["aws", "graviton", "arm64", "cost"],
});
