// `graviton-multiarch:eks`: the optional EKS cluster, its Graviton node group and the Deployment on it.
import { z } from "zod";
import { eksGravitonDefaults, eksGravitonRules, eksScalingProblems } from "../components/eksGraviton";
import { between, bool, fromRule, retentionDays, setting } from "./values";

const rules = eksGravitonRules;
const defaults = eksGravitonDefaults;

export const eksSchema = z
    .strictObject({
        enabled: bool().default(false),
        // Text only: in YAML an unquoted 1.30 is the number 1.3.
        kubernetesVersion: z
            .string({ error: 'expected a Kubernetes version as text, like "1.36" (quoted in YAML)' })
            .pipe(fromRule(rules.kubernetesVersion))
            .default(defaults.kubernetesVersion),
        instanceTypes: fromRule(rules.instanceTypes).default([...defaults.instanceTypes]),
        minSize: setting(rules.minSize).default(defaults.minSize),
        desiredSize: setting(rules.desiredSize).default(defaults.desiredSize),
        maxSize: setting(rules.maxSize).default(defaults.maxSize),
        replicas: setting(rules.replicas).default(defaults.replicas),
        controlPlaneLogging: bool().default(defaults.controlPlaneLogging),
        logRetentionDays: retentionDays().default(defaults.logRetentionDays),
    })
    .superRefine(between(eksScalingProblems));
