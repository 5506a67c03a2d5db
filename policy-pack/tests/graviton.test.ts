import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { EKS_NODE_GROUP } from "../resourceTypes";
import { eksNodeGroupArchitectureMatch } from "../eks";
import { GRAVITON_FAMILY_NAMES, amiTypeArchitecture, instanceTypeArchitecture } from "../graviton";
import { nodeGroupArchitecture } from "../nodeGroups";
import { resource, runStackPolicy } from "./args";

// The oracle: explicit tables typed in from docs/platform-facts.md ("Amazon EKS managed node groups") and the
// EC2 instance type list, not the naming rule the implementation uses.
const ARCHITECTURE_BY_FAMILY: Readonly<Record<string, "arm64" | "x86_64">> = {
    // Graviton (aws/aws-graviton-getting-started)
    a1: "arm64",
    m6g: "arm64",
    m6gd: "arm64",
    c6g: "arm64",
    c6gd: "arm64",
    c6gn: "arm64",
    r6g: "arm64",
    r6gd: "arm64",
    t4g: "arm64",
    x2gd: "arm64",
    g5g: "arm64",
    i4g: "arm64",
    im4gn: "arm64",
    is4gen: "arm64",
    c7g: "arm64",
    c7gd: "arm64",
    c7gn: "arm64",
    m7g: "arm64",
    m7gd: "arm64",
    r7g: "arm64",
    r7gd: "arm64",
    hpc7g: "arm64",
    c8g: "arm64",
    m8g: "arm64",
    r8g: "arm64",
    x8g: "arm64",
    i8g: "arm64",
    // x86_64, including the GPU and accelerator families that look like Graviton ones
    t2: "x86_64",
    t3: "x86_64",
    t3a: "x86_64",
    m5: "x86_64",
    m5a: "x86_64",
    m5d: "x86_64",
    m5zn: "x86_64",
    m6i: "x86_64",
    m6a: "x86_64",
    m7i: "x86_64",
    "m7i-flex": "x86_64",
    m7a: "x86_64",
    c5: "x86_64",
    c5n: "x86_64",
    c6i: "x86_64",
    c6a: "x86_64",
    c7i: "x86_64",
    c7a: "x86_64",
    r5: "x86_64",
    r6i: "x86_64",
    r7i: "x86_64",
    r7iz: "x86_64",
    x2idn: "x86_64",
    x2iedn: "x86_64",
    i3: "x86_64",
    i4i: "x86_64",
    z1d: "x86_64",
    hpc7a: "x86_64",
    g4dn: "x86_64",
    g4ad: "x86_64",
    g5: "x86_64",
    g6: "x86_64",
    g6e: "x86_64",
    gr6: "x86_64",
    p3: "x86_64",
    p3dn: "x86_64",
    p4d: "x86_64",
    p5: "x86_64",
    "p6-b200": "x86_64",
    inf2: "x86_64",
    trn1: "x86_64",
};
const SIZES = ["medium", "large", "xlarge", "2xlarge", "12xlarge", "48xlarge", "metal", "metal-24xl"];

const ARM64_AMI_TYPES = [
    "AL2_ARM_64",
    "AL2023_ARM_64_STANDARD",
    "AL2023_ARM_64_NVIDIA",
    "BOTTLEROCKET_ARM_64",
    "BOTTLEROCKET_ARM_64_NVIDIA",
    "BOTTLEROCKET_ARM_64_FIPS",
];
const X86_AMI_TYPES = [
    "AL2_x86_64",
    "AL2_x86_64_GPU",
    "AL2023_x86_64_STANDARD",
    "AL2023_x86_64_NVIDIA",
    "AL2023_x86_64_NEURON",
    "BOTTLEROCKET_x86_64",
    "BOTTLEROCKET_x86_64_NVIDIA",
    "BOTTLEROCKET_x86_64_FIPS",
    "WINDOWS_CORE_2022_x86_64",
    "WINDOWS_FULL_2019_x86_64",
];

function oracleAmi(amiType: string | undefined): "arm64" | "x86_64" | "custom" {
    if (amiType === "CUSTOM") return "custom";
    return ARM64_AMI_TYPES.includes(amiType ?? "") ? "arm64" : "x86_64"; // unset: EKS's x86_64 default
}

const family = fc.constantFrom(...Object.keys(ARCHITECTURE_BY_FAMILY));
const size = fc.constantFrom(...SIZES);
const knownInstanceType = fc.tuple(family, size).map(([f, s]) => `${f}.${s}`);
// Mutations that always break the `<family>.<size>` shape.
const malformedInstanceType = fc.oneof(
    knownInstanceType.map((t) => t.toUpperCase()),
    knownInstanceType.map((t) => t.replace(".", "")),
    knownInstanceType.map((t) => ` ${t}`),
    knownInstanceType.map((t) => `${t}.extra`),
    family.map((f) => `${f}.`),
    family.map((f) => `${f}.huge`),
    size.map((s) => `.${s}`),
    fc.string().filter((s) => !/^[a-z0-9-]+\.[a-z0-9-]+$/.test(s)),
);
const amiType = fc.option(fc.constantFrom(...ARM64_AMI_TYPES, ...X86_AMI_TYPES, "CUSTOM"), { nil: undefined });

function oracleArchitecture(instanceType: string): "arm64" | "x86_64" | "unknown" {
    const [f, s, ...rest] = instanceType.split(".");
    return rest.length === 0 && SIZES.includes(s) ? (ARCHITECTURE_BY_FAMILY[f] ?? "unknown") : "unknown";
}

// The node group verdict, restated: count the architectures present and compare with the AMI.
function oracleVerdict(instanceTypes: string[], ami: string | undefined): "consistent" | "mismatch" | "undetermined" {
    const effective = instanceTypes.length > 0 ? instanceTypes : ["t3.medium"];
    const counts = { arm64: 0, x86_64: 0, unknown: 0 };
    effective.forEach((t) => counts[oracleArchitecture(t)]++);
    const amiArch = oracleAmi(ami);
    if (counts.arm64 > 0 && counts.x86_64 > 0) return "mismatch";
    if (amiArch !== "custom" && counts[amiArch === "arm64" ? "x86_64" : "arm64"] > 0) return "mismatch";
    if (amiArch === "custom" || counts.unknown > 0) return "undetermined";
    return "consistent";
}

const RUNS = { numRuns: 300 };

describe("graviton knowledge", () => {
    describe("instanceTypeArchitecture", () => {
        it("classifies every Graviton family from the facts file as arm64", () => {
            for (const f of GRAVITON_FAMILY_NAMES) {
                assert.equal(instanceTypeArchitecture(`${f}.large`), "arm64", f);
            }
        });

        it("tells the GPU families apart: g5g is arm64; g5, g4dn, g4ad and the p families are x86_64", () => {
            assert.equal(instanceTypeArchitecture("g5g.xlarge"), "arm64");
            for (const t of ["g5.xlarge", "g4dn.xlarge", "g4ad.xlarge", "p4d.24xlarge", "p5.48xlarge", "p3.2xlarge"]) {
                assert.equal(instanceTypeArchitecture(t), "x86_64", t);
            }
        });

        it("classifies listed families by the table (m8gd is arm64, u7i-12tb and u-6tb1 are x86_64)", () => {
            assert.equal(instanceTypeArchitecture("m8gd.large"), "arm64");
            assert.equal(instanceTypeArchitecture("u7i-12tb.224xlarge"), "x86_64");
            assert.equal(instanceTypeArchitecture("u-6tb1.metal"), "x86_64");
        });

        it("returns unknown for unlisted families whatever their name suggests, and for Mac instances", () => {
            for (const t of ["q9g.large", "q9i.large", "m99g.large", "mac2.metal", "mac2-m2pro.metal", "mac1.metal"]) {
                assert.equal(instanceTypeArchitecture(t), "unknown", t);
            }
        });

        it("classifies P6e-GB200 (NVIDIA Grace host CPU) as arm64", () => {
            assert.equal(instanceTypeArchitecture("p6e-gb200.36xlarge"), "arm64");
        });

        it("agrees with the family table for generated instance types", () => {
            fc.assert(
                fc.property(knownInstanceType, (t) => instanceTypeArchitecture(t) === oracleArchitecture(t)),
                RUNS,
            );
        });

        it("returns unknown for generated malformed input", () => {
            fc.assert(
                fc.property(malformedInstanceType, (t) => instanceTypeArchitecture(t) === "unknown"),
                RUNS,
            );
        });
    });

    describe("amiTypeArchitecture", () => {
        it("returns arm64 for ARM_64 types, custom for CUSTOM and x86_64 for the rest and for unset", () => {
            assert.equal(amiTypeArchitecture("BOTTLEROCKET_ARM_64_NVIDIA"), "arm64");
            assert.equal(amiTypeArchitecture("AL2_x86_64_GPU"), "x86_64");
            assert.equal(amiTypeArchitecture("CUSTOM"), "custom");
            assert.equal(amiTypeArchitecture(undefined), "x86_64");
        });

        it("agrees with the AMI type tables for every generated value", () => {
            fc.assert(
                fc.property(amiType, (ami) => amiTypeArchitecture(ami) === oracleAmi(ami)),
                RUNS,
            );
        });
    });

    describe("node group verdict", () => {
        const instanceTypes = fc.array(
            fc.oneof({ weight: 6, arbitrary: knownInstanceType }, { weight: 1, arbitrary: malformedInstanceType }),
            { maxLength: 3 },
        );

        it("agrees with the oracle for generated instance types and AMI types", () => {
            fc.assert(
                fc.property(
                    instanceTypes,
                    amiType,
                    (types, ami) =>
                        nodeGroupArchitecture({ instanceTypes: types, amiType: ami }).kind ===
                        oracleVerdict(types, ami),
                ),
                RUNS,
            );
        });

        it("makes eks-nodegroup-architecture-match reject exactly the mismatches (and, with requireGraviton, x86_64)", async () => {
            await fc.assert(
                fc.asyncProperty(instanceTypes, amiType, fc.boolean(), async (types, ami, requireGraviton) => {
                    const group = resource(EKS_NODE_GROUP, "nodes", {
                        clusterName: "demo",
                        instanceTypes: types,
                        amiType: ami,
                    });
                    const result = await runStackPolicy(eksNodeGroupArchitectureMatch, {
                        resources: [group],
                        config: { requireGraviton },
                    });
                    const effective = types.length > 0 ? types : ["t3.medium"];
                    // With requireGraviton, an x86_64 instance type or a named x86_64 AMI type fails on its own.
                    const x86Named =
                        effective.some((t) => oracleArchitecture(t) === "x86_64") ||
                        (ami !== undefined && oracleAmi(ami) === "x86_64");
                    const expected = oracleVerdict(types, ami) === "mismatch" || (requireGraviton && x86Named);
                    return result.violations.length === (expected ? 1 : 0);
                }),
                { numRuns: 200 },
            );
        });
    });
});
