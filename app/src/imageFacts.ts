// Which image the process runs, where its runtime says so: only ECS does, through the task metadata endpoint v4
// (docs/platform-facts.md, "Which image a task runs").
import * as http from "http";
import { RUNTIME_NAMES, RuntimeKind } from "./runtime";

/** The image reference and digest, or why they are not known: `source` says where they came from or why not. */
export interface ImageFacts {
    readonly reference: string | null;
    readonly digest: string | null;
    readonly source: string;
}

export const METADATA_SOURCE = "ECS task metadata endpoint v4";
const METADATA_TIMEOUT_MS = 2000;

/** `Image` and `ImageID` from the container metadata the endpoint answers; anything else counts as missing. */
export function imageFactsFromMetadata(metadata: unknown): ImageFacts {
    const fields = (metadata ?? {}) as { Image?: unknown; ImageID?: unknown };
    const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : null);
    return { reference: text(fields.Image), digest: text(fields.ImageID), source: METADATA_SOURCE };
}

/** What a runtime without the metadata endpoint gets: it names the runtime, so the page can say who offers nothing. */
export function notOffered(runtime: RuntimeKind): ImageFacts {
    return { reference: null, digest: null, source: `not offered by ${RUNTIME_NAMES[runtime]}` };
}

/**
 * Asks the container metadata endpoint (`ECS_CONTAINER_METADATA_URI_V4`) when the environment has it; never
 * rejects, since the page must render whatever the endpoint does.
 */
export function readImageFacts(env: NodeJS.ProcessEnv, runtime: RuntimeKind): Promise<ImageFacts> {
    const endpoint = env.ECS_CONTAINER_METADATA_URI_V4;
    if (!endpoint) {
        return Promise.resolve(notOffered(runtime));
    }
    const failed = (why: string): ImageFacts => ({
        reference: null,
        digest: null,
        source: `${METADATA_SOURCE}: ${why}`,
    });
    return new Promise((resolve) => {
        const request = http.get(endpoint, { timeout: METADATA_TIMEOUT_MS, agent: false }, (response) => {
            let body = "";
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => (body += chunk));
            response.on("end", () => {
                if (response.statusCode !== 200) {
                    resolve(failed(`HTTP ${response.statusCode}`));
                    return;
                }
                try {
                    resolve(imageFactsFromMetadata(JSON.parse(body)));
                } catch {
                    resolve(failed("the answer is not JSON"));
                }
            });
        });
        request.on("timeout", () => request.destroy(new Error(`no answer within ${METADATA_TIMEOUT_MS} ms`)));
        request.on("error", (error) => resolve(failed(error.message)));
    });
}
