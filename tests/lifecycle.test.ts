// The repository's lifecycle policy, as the program registers it, driven through weeks of releases,
// failed rollouts, a revert and pull-request previews in a model of ECR's documented evaluation
// (tests/models/ecrRepository.ts).
import * as assert from "assert";
import { ProgramRun, stackRun } from "./harness";
import { ImageInputs, IndexInputs, tagOf } from "./models/dockerBuild";
import { EcrRepositoryModel, LifecycleRule, RepositorySettings } from "./models/ecrRepository";

/** The tags one release pushes, read from the program's own docker-build inputs. */
interface PushPattern {
    releaseTag: string;
    images: { imageTags: string[]; cacheTags: string[] }[];
    indexTag: string;
}

function pushPattern(run: ProgramRun): PushPattern {
    return {
        releaseTag: run.outputs.imageTag as string,
        images: run.ofType<ImageInputs>("docker-build:index:Image").map((image) => ({
            imageTags: (image.inputs.tags ?? []).map(tagOf),
            cacheTags: (image.inputs.cacheTo ?? []).flatMap((cache) =>
                cache.registry?.ref ? [tagOf(cache.registry.ref)] : [],
            ),
        })),
        indexTag: tagOf(run.one<IndexInputs>("docker-build:index:Index").inputs.tag),
    };
}

/** A release: the digests of its index and of the index's children. */
interface Release {
    index: string;
    children: readonly string[];
}

class Registry {
    private pushes = 0;
    constructor(
        readonly repository: EcrRepositoryModel,
        private readonly pattern: PushPattern,
    ) {}

    private digest(what: string): string {
        this.pushes += 1;
        return `sha256:${what}-${this.pushes}`;
    }

    /** A build whose cache export landed: every cache tag moves, leaving the old cache manifest untagged. */
    exportCaches(day: number): void {
        for (const image of this.pattern.images) {
            image.cacheTags.forEach((tag) =>
                this.repository.put({ digest: this.digest("cache"), kind: "cache" }, tag, day),
            );
        }
    }

    /** `pulumi up` of the source whose release tag stands in for the program's own (same tags again on a revert). */
    release(sourceTag: string, day: number): Release {
        this.exportCaches(day);
        const children = this.pattern.images.map((image) => {
            const digest = this.digest("image");
            image.imageTags.forEach((tag) =>
                this.repository.put({ digest, kind: "image" }, tag.replace(this.pattern.releaseTag, sourceTag), day),
            );
            return digest;
        });
        const index = this.digest("index");
        this.repository.put(
            { digest: index, kind: "index", children },
            this.pattern.indexTag.replace(this.pattern.releaseTag, sourceTag),
            day,
        );
        return { index, children };
    }
}

describe("ECR lifecycle policy over weeks of releases and previews", () => {
    let policy: { rules: LifecycleRule[] };
    let repositorySettings: RepositorySettings;
    let pattern: PushPattern;

    before(async () => {
        const dev = await stackRun("dev");
        policy = JSON.parse(dev.one<{ policy: string }>("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy) as {
            rules: LifecycleRule[];
        };
        repositorySettings = dev.one<RepositorySettings>("aws:ecr/repository:Repository").inputs;
        pattern = pushPattern(dev);
    });

    it("never expires the running release or the one before it, and still cleans up", () => {
        const registry = new Registry(new EcrRepositoryModel(repositorySettings), pattern);
        const repository = registry.repository;
        const untaggedDays =
            policy.rules.find((rule) => rule.selection.tagStatus === "untagged")?.selection.countNumber ?? 0;
        let running = registry.release("release-0000000000000001", 0);
        let previous: Release | undefined;
        let source = 1;
        const sourceTag = (n: number) => `release-${n.toString(16).padStart(16, "0")}`;
        const expired: string[] = [];

        for (let day = 1; day <= 28; day += 1) {
            const week = Math.ceil(day / 7);
            // Pull requests: every preview of every push exports caches in the worst case (a build on preview, an
            // update that failed after its cache export); a busy week of reviews without any release is week 2.
            const previews = week === 2 ? 12 : 4;
            for (let preview = 0; preview < previews; preview += 1) {
                registry.exportCaches(day);
            }
            const weekday = ((day - 1) % 7) + 1;
            if (week !== 2 && weekday <= 5) {
                if (day === 17) {
                    // git revert of day 16's change: the running release's source, pushed again under its tag.
                    const reverted = registry.release(sourceTag(source - 1), day);
                    previous = running;
                    running = reverted;
                } else {
                    source += 1;
                    const pushed = registry.release(sourceTag(source), day);
                    // On day 16 the circuit breaker rolls the release back: ECS keeps running the one before.
                    if (day !== 16) {
                        previous = running;
                        running = pushed;
                    }
                }
            }
            expired.push(...repository.applyLifecycle(policy, day));

            for (const [name, release] of [
                ["running", running],
                ["previous", previous],
            ] as const) {
                if (release === undefined) {
                    continue;
                }
                for (const digest of [release.index, ...release.children]) {
                    assert.ok(repository.images.has(digest), `day ${day}: the ${name} release lost ${digest}`);
                }
            }
        }

        assert.ok(expired.length > 0, "nothing was ever cleaned up");
        const stored = [...repository.images.values()];
        const referenced = new Set(stored.flatMap((image) => image.children));
        const staleUntagged = stored.filter(
            (image) => image.tags.size === 0 && !referenced.has(image.digest) && 28 - image.pushedAt > untaggedDays,
        );
        assert.deepStrictEqual(staleUntagged, [], "untagged leftovers older than the policy allows are still stored");
        const releaseRule = policy.rules.find((rule) =>
            rule.selection.tagPatternList?.some((pattern) => pattern.startsWith("release-")),
        );
        const releaseImages = stored.filter((image) => [...image.tags].some((tag) => tag.startsWith("release-")));
        assert.ok(
            releaseRule !== undefined && releaseImages.length <= releaseRule.selection.countNumber,
            `${releaseImages.length} release images kept`,
        );
        // The caches of the busy week went away again: what is left is the live cache of each architecture and
        // the untagged ones of the last days, which staleUntagged covers.
        const caches = stored.filter((image) => image.kind === "cache");
        assert.strictEqual(caches.filter((image) => image.tags.size > 0).length, pattern.images.length);
        assert.ok(caches.every((image) => image.tags.size > 0 || 28 - image.pushedAt <= untaggedDays));
    });
});
