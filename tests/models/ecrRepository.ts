// A model of one Amazon ECR repository: what it stores, how it takes a tag, and how it applies a
// lifecycle policy. Modelled on the ECR User Guide (docs/platform-facts.md, "Amazon ECR"):
// - tag mutability: a push of a tag that exists fails with ImageTagAlreadyExistsException when the
//   tag is immutable, even for the same digest (aws/containers-roadmap#2179); in a mutable
//   repository the tag moves and the image it left is untagged unless it has other tags;
// - lifecycle rules run by priority; `any` selects every image, `untagged` images with no tag,
//   `tagged` + `tagPatternList` images that have a tag matching every pattern; an image matched by
//   a higher rule's selection cannot be expired by a lower rule but still counts in that rule's
//   `imageCountMoreThan` window, whose images are ordered by push time, newest first;
// - an image that an image index references is not expired while the index exists.

export type ManifestKind = "image" | "index" | "cache";

export interface StoredImage {
    readonly digest: string;
    readonly kind: ManifestKind;
    readonly tags: Set<string>;
    /** Days since the start of the simulation. */
    pushedAt: number;
    /** The digests an index lists. */
    readonly children: readonly string[];
}

export interface RepositorySettings {
    imageTagMutability?: string;
    imageTagMutabilityExclusionFilters?: readonly { filter: string; filterType: string }[];
}

export interface LifecycleRule {
    rulePriority: number;
    selection: {
        tagStatus: "tagged" | "untagged" | "any";
        tagPatternList?: string[];
        tagPrefixList?: string[];
        countType: "imageCountMoreThan" | "sinceImagePushed";
        countUnit?: "days";
        countNumber: number;
    };
    action: { type: "expire" };
}

export class ImageTagAlreadyExistsError extends Error {
    constructor(tag: string) {
        super(
            `ImageTagAlreadyExistsException: the image tag '${tag}' already exists and cannot be overwritten because the tag is immutable`,
        );
    }
}

/** ECR's `*` wildcard: any run of characters. */
function wildcardMatches(pattern: string, value: string): boolean {
    const expression = pattern
        .split("*")
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*");
    return new RegExp(`^${expression}$`).test(value);
}

export class EcrRepositoryModel {
    readonly images = new Map<string, StoredImage>();
    /** Every push of a tag, in order, for assertions. */
    readonly tagPushes: string[] = [];

    constructor(private readonly settings: RepositorySettings) {}

    private tagIsImmutable(tag: string): boolean {
        const matchesFilter = (this.settings.imageTagMutabilityExclusionFilters ?? []).some((filter) =>
            wildcardMatches(filter.filter, tag),
        );
        switch (this.settings.imageTagMutability ?? "MUTABLE") {
            case "IMMUTABLE":
                return true;
            case "IMMUTABLE_WITH_EXCLUSION":
                return !matchesFilter;
            case "MUTABLE_WITH_EXCLUSION":
                return matchesFilter;
            default:
                return false;
        }
    }

    imageWithTag(tag: string): StoredImage | undefined {
        return [...this.images.values()].find((image) => image.tags.has(tag));
    }

    /** PutImage: stores a manifest (a re-push of the same digest refreshes nothing but the tag). */
    put(
        manifest: { digest: string; kind: ManifestKind; children?: readonly string[] },
        tag: string | undefined,
        now: number,
    ): void {
        if (tag !== undefined) {
            const holder = this.imageWithTag(tag);
            if (holder !== undefined && this.tagIsImmutable(tag)) {
                throw new ImageTagAlreadyExistsError(tag);
            }
            holder?.tags.delete(tag);
            this.tagPushes.push(tag);
        }
        let stored = this.images.get(manifest.digest);
        if (stored === undefined) {
            stored = {
                digest: manifest.digest,
                kind: manifest.kind,
                tags: new Set(),
                pushedAt: now,
                children: manifest.children ?? [],
            };
            this.images.set(manifest.digest, stored);
        }
        if (tag !== undefined) {
            stored.tags.add(tag);
        }
    }

    /** BatchDeleteImage by digest: the image goes with all its tags. */
    delete(digest: string): void {
        this.images.delete(digest);
    }

    /** One daily lifecycle evaluation; returns the digests it expired. */
    applyLifecycle(policy: { rules: LifecycleRule[] }, now: number): string[] {
        const rules = [...policy.rules].sort((a, b) => a.rulePriority - b.rulePriority);
        const all = [...this.images.values()];
        const claimed = new Set<string>();
        const expired = new Set<string>();
        for (const rule of rules) {
            const selected = all.filter((image) => selects(rule, image));
            let candidates: StoredImage[];
            if (rule.selection.countType === "imageCountMoreThan") {
                candidates = [...selected].sort((a, b) => b.pushedAt - a.pushedAt).slice(rule.selection.countNumber);
            } else {
                candidates = selected.filter((image) => now - image.pushedAt > rule.selection.countNumber);
            }
            for (const image of candidates) {
                if (!claimed.has(image.digest)) {
                    expired.add(image.digest);
                }
            }
            selected.forEach((image) => claimed.add(image.digest));
        }
        // An index keeps what it references for as long as it is itself kept.
        const referenced = new Set(
            all.filter((image) => !expired.has(image.digest)).flatMap((image) => image.children),
        );
        const gone = [...expired].filter((digest) => !referenced.has(digest));
        gone.forEach((digest) => this.images.delete(digest));
        return gone;
    }
}

function selects(rule: LifecycleRule, image: StoredImage): boolean {
    const tags = [...image.tags];
    switch (rule.selection.tagStatus) {
        case "any":
            return true;
        case "untagged":
            return tags.length === 0;
        case "tagged": {
            const patterns =
                rule.selection.tagPatternList ?? (rule.selection.tagPrefixList ?? []).map((prefix) => `${prefix}*`);
            return tags.length > 0 && patterns.every((pattern) => tags.some((tag) => wildcardMatches(pattern, tag)));
        }
    }
}
