import * as aws from "@pulumi/aws";
import { loadStackConfig, projectName } from "./config";

// Validated before anything is registered: bad config creates nothing.
const config = loadStackConfig();

const provider = new aws.Provider("aws", {
    region: config.region,
    defaultTags: {
        tags: { project: projectName, stack: config.stack, "managed-by": "pulumi", ...config.tags },
    },
});

export const region = config.region;
export const providerUrn = provider.urn;
