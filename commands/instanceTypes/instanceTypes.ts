/**
 * Regenerates policy-pack/instanceTypes.ts from EC2 DescribeInstanceTypes (every page) in the named regions, or in
 * every region the account has enabled (DescribeRegions). Needs AWS credentials allowed ec2:DescribeInstanceTypes.
 *
 *   npm run instance-types -- [--region <name>]... [--out <file>]
 */
import { writeFileSync } from "fs";
import * as path from "path";
import { DescribeRegionsCommand, EC2Client, paginateDescribeInstanceTypes } from "@aws-sdk/client-ec2";
import type { DescribeInstanceTypesCommandOutput } from "@aws-sdk/client-ec2";
import { DERIVED_FAMILIES } from "../../policy-pack/instanceTypes";
import { defineCommand, EXIT_OK, runAsProcess } from "../cli";
import { DerivedFamily, renderInstanceTypesModule } from "./instanceTypesModule";

const DEFAULT_OUT = path.join(__dirname, "..", "..", "policy-pack", "instanceTypes.ts");

export const instanceTypesCommand = defineCommand({
    name: "instance-types",
    summary:
        "Writes policy-pack/instanceTypes.ts from EC2 DescribeInstanceTypes (ProcessorInfo.SupportedArchitectures).",
    flags: {
        region: { type: "string", multiple: true, value: "<name>", description: "a region to ask; all when none" },
        out: { type: "string", value: "<file>", description: "where to write (default policy-pack/instanceTypes.ts)" },
    },
    failure: "an AWS call failed",
});

/** Every page of DescribeInstanceTypes in one region. */
export async function describeAllInstanceTypes(client: EC2Client): Promise<DescribeInstanceTypesCommandOutput[]> {
    const pages: DescribeInstanceTypesCommandOutput[] = [];
    for await (const page of paginateDescribeInstanceTypes({ client }, { MaxResults: 100 })) {
        pages.push(page);
    }
    return pages;
}

/** The regions to ask: those named, else every region DescribeRegions lists for the account. */
export async function regionsToAsk(named: readonly string[] | undefined, client: EC2Client): Promise<string[]> {
    if (named !== undefined && named.length > 0) {
        return [...named];
    }
    const { Regions = [] } = await client.send(new DescribeRegionsCommand({}));
    return Regions.flatMap((region) => (region.RegionName ? [region.RegionName] : []));
}

/** The current module's derived families, carried over until DescribeInstanceTypes lists them. */
export function currentDerivedFamilies(): DerivedFamily[] {
    return Object.entries(DERIVED_FAMILIES).map(([family, [architectures, source]]) => ({
        family,
        architectures,
        source,
    }));
}

export const main = instanceTypesCommand.main(async (argv, write) => {
    const flags = instanceTypesCommand.parse(argv);
    const regions = await regionsToAsk(flags.region, new EC2Client({}));
    const pages: DescribeInstanceTypesCommandOutput[] = [];
    for (const region of regions) {
        pages.push(...(await describeAllInstanceTypes(new EC2Client({ region }))));
    }
    const today = new Date().toISOString().slice(0, 10);
    const text = renderInstanceTypesModule(
        pages,
        [`DescribeInstanceTypes in ${regions.join(", ")} on ${today}.`],
        currentDerivedFamilies(),
    );
    const out = flags.out ?? DEFAULT_OUT;
    writeFileSync(out, text);
    write(`wrote ${out} from ${pages.length} pages in ${regions.length} regions\n`);
    return EXIT_OK;
});

if (require.main === module) {
    runAsProcess(main);
}
