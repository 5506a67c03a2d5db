import * as assert from "node:assert/strict";
import { _InstanceType } from "@aws-sdk/client-ec2";
import { architecturesOf, instanceTypeArchitecture } from "../graviton";
import { DERIVED_FAMILIES, FAMILY_ARCHITECTURES } from "../instanceTypes";

// Enum values no source read so far states the architecture of (docs/platform-facts.md, "EC2 instance
// architectures"): each is named here so that any other new value in a newer @aws-sdk/client-ec2 fails until
// `npm run instance-types` or a cited derived family adds it.
const NOT_YET_CLASSIFIED = ["t8i", "u7ib-12tb"];

describe("EC2 instance type data (instanceTypes.ts)", () => {
    const enumValues = Object.values(_InstanceType) as string[];

    it("classifies every value of @aws-sdk/client-ec2's InstanceType enum, but for the named families", () => {
        const unclassified = enumValues.filter(
            (type) => architecturesOf(type) === undefined && !NOT_YET_CLASSIFIED.includes(type.split(".")[0]),
        );
        assert.deepEqual(unclassified, []);
    });

    it("lists no family as not yet classified once the data has it", () => {
        assert.deepEqual(
            NOT_YET_CLASSIFIED.filter((family) => architecturesOf(family) !== undefined),
            [],
        );
    });

    it("marks the families taken from documentation as derived, not as DescribeInstanceTypes data", () => {
        for (const family of Object.keys(DERIVED_FAMILIES)) {
            assert.equal(Object.hasOwn(FAMILY_ARCHITECTURES, family), false, family);
        }
        assert.deepEqual(architecturesOf("mac1.metal"), ["x86_64_mac"]);
        assert.deepEqual(architecturesOf("mac2-m2pro.metal"), ["arm64_mac"]);
    });

    it("knows the families the hand-written table left unknown", () => {
        const expected: Record<string, "arm64" | "x86_64"> = {
            "c8a.large": "x86_64",
            "m8a.large": "x86_64",
            "r8gb.large": "arm64",
            "c8gb.large": "arm64",
            "m8gn.large": "arm64",
            "r8gn.large": "arm64",
            "g7e.2xlarge": "x86_64",
            "c8id.large": "x86_64",
            "c8ib.large": "x86_64",
            "m8idn.large": "x86_64",
            "m9g.large": "arm64",
            // Derived from documentation (DERIVED_FAMILIES), each with its source.
            "r9g.medium": "arm64",
            "r9gd.metal-48xl": "arm64",
            "trn2u.48xlarge": "x86_64",
            "u7inh-32tb.480xlarge": "x86_64",
            "cc1.4xlarge": "x86_64",
            "cg1.4xlarge": "x86_64",
            "cr1.8xlarge": "x86_64",
            "hi1.4xlarge": "x86_64",
            "hs1.8xlarge": "x86_64",
        };
        for (const [type, arch] of Object.entries(expected)) {
            assert.equal(instanceTypeArchitecture(type), arch, type);
        }
    });

    it("gives i386 where EC2 reports it, and the size's own architectures in a mixed family", () => {
        assert.deepEqual(architecturesOf("t2.micro"), ["i386", "x86_64"]);
        assert.deepEqual(architecturesOf("t2.large"), ["x86_64"]);
        assert.equal(instanceTypeArchitecture("t2.micro"), "x86_64");
    });

    it("understands families, wildcards and AWS Batch keywords", () => {
        assert.deepEqual(architecturesOf("c7g"), ["arm64"]);
        assert.deepEqual(architecturesOf("c7g.*"), ["arm64"]);
        assert.deepEqual(architecturesOf("t2.*"), ["i386", "x86_64"]);
        assert.deepEqual(architecturesOf("m1"), ["i386", "x86_64"]);
        // Most c3 sizes are x86_64 only; c3.large also runs i386, so the family and its wildcard do.
        assert.deepEqual(architecturesOf("c3.xlarge"), ["x86_64"]);
        assert.deepEqual(architecturesOf("c3.*"), ["i386", "x86_64"]);
        assert.deepEqual(architecturesOf("optimal"), ["x86_64"]);
        assert.deepEqual(architecturesOf("default_x86_64"), ["x86_64"]);
        assert.deepEqual(architecturesOf("default_arm64"), ["arm64"]);
        // A family or a keyword names no one instance type, so the node group classifier leaves it unknown.
        assert.equal(instanceTypeArchitecture("c7g"), "unknown");
    });

    it("returns undefined for unlisted or malformed names, including Object.prototype's keys", () => {
        for (const name of [
            "q9g",
            "q9g.*",
            "q9g.large",
            "C7G",
            "c7g.",
            "c7g.huge",
            "c7g.**",
            "constructor",
            "toString",
        ]) {
            assert.equal(architecturesOf(name), undefined, name);
        }
    });
});
