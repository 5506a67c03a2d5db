// `graviton-multiarch:eks`: the optional EKS cluster, its Graviton node group and the Deployment on it.
import { z } from "zod";
import { eksGravitonDefaults, kubernetesVersionPattern, nonGravitonInstanceTypes } from "../components/eksGraviton";
import { bool, fromConfigString, int, logRetentionDays, oneOf } from "./values";
const instanceTypesError = 'expected a list of EC2 instance type names like ["t4g.medium"]';
export const eksSchema = z
    .strictObject({
        enabled: bool().default(false),
        // Text only: in YAML an unquoted 1.30 is the number 1.3.
        kubernetesVersion: z
            .string({ error: 'expected a Kubernetes version as text, like "1.36" (quoted in YAML)' })
            .regex(kubernetesVersionPattern, "expected a Kubernetes version EKS offers, written 1.<minor>, like 1.36")
            .default(eksGravitonDefaults.kubernetesVersion),
        instanceTypes: z
            .array(z.string({ error: instanceTypesError }), { error: instanceTypesError })
            .default([...eksGravitonDefaults.instanceTypes])
            .superRefine((types, ctx) => {
                // The pack's instance-family table decides, so a type the pack would reject never gets registered.
                const problem = nonGravitonInstanceTypes(types);
                if (problem !== undefined) {
                    ctx.addIssue({ code: "custom", input: types, message: problem });
                }
            }),
        minSize: int(0, 100).default(eksGravitonDefaults.minSize),
        desiredSize: int(1, 100).default(eksGravitonDefaults.desiredSize),
        maxSize: int(1, 100).default(eksGravitonDefaults.maxSize),
        replicas: int(1, 100).default(eksGravitonDefaults.replicas),
        controlPlaneLogging: bool().default(eksGravitonDefaults.controlPlaneLogging),
        logRetentionDays: z
            .preprocess(fromConfigString, oneOf(logRetentionDays))
            .default(eksGravitonDefaults.logRetentionDays),
    })
    .superRefine((eks, ctx) => {
        // EKS refuses a scaling config outside min <= desired <= max (EKS API reference, NodegroupScalingConfig).
        if (eks.desiredSize < eks.minSize) {
            ctx.addIssue({
                code: "custom",
                path: ["minSize"],
                input: eks.minSize,
                message: `must not exceed desiredSize (${eks.desiredSize})`,
            });
        }
        if (eks.desiredSize > eks.maxSize) {
            ctx.addIssue({
                code: "custom",
                path: ["maxSize"],
                input: eks.maxSize,
                message: `must be at least desiredSize (${eks.desiredSize})`,
            });
        }
    });
