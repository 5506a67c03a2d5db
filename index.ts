import * as path from "path";
import * as aws from "@pulumi/aws";
import { MultiArchImage } from "./components/multiArchImage";
import { loadStackConfig, projectName } from "./config";

// Validated before anything is registered: bad config creates nothing.
const config = loadStackConfig();

const provider = new aws.Provider("aws", {
    region: config.region,
    defaultTags: {
        tags: { project: projectName, stack: config.stack, "managed-by": "pulumi", ...config.tags },
    },
});
const opts = { providers: { aws: provider } };

const image = new MultiArchImage(
    "app",
    {
        context: path.join(__dirname, "app"),
        builders: { amd64: config.image.amd64Builder, arm64: config.image.arm64Builder },
        protect: config.protect,
    },
    opts,
);

export const region = config.region;
export const repositoryUrl = image.repositoryUrl;
export const imageTag = image.tag;
/** ECS Fargate, both architectures: the agent pulls the child matching the task's CPU. */
export const indexRef = image.indexRef;
/** App Runner (amd64 only). */
export const amd64Ref = image.platformRefs.amd64;
/** Lambda (an index is rejected, so the arm64 manifest itself). */
export const arm64Ref = image.platformRefs.arm64;
