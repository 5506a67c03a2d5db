import { DockerfileParser, From, Instruction } from "dockerfile-ast";

/** One `FROM ... [AS name]` block of a Dockerfile and what it resolves to. */
export interface DockerStage {
    /** `AS` name, or null for an unnamed stage. */
    name: string | null;
    /** Image reference as written, e.g. `${NODE_IMAGE}`. */
    image: string;
    /** `image` with global ARG defaults substituted. */
    resolvedImage: string;
    /** The stage this one is built FROM, when `resolvedImage` names an earlier stage. */
    parentStage: DockerStage | null;
    /** Value of `--platform`, or null when the flag is absent. */
    platformFlag: string | null;
    /** True when the stage executes on the builder's own platform, i.e. never under emulation. */
    onBuildPlatform: boolean;
    /** 1-based line of the FROM instruction. */
    line: number;
    /** Instructions after the FROM, up to the next FROM. */
    instructions: Instruction[];
}

const BUILD_PLATFORM_VALUES = new Set(["$BUILDPLATFORM", "${BUILDPLATFORM}"]);

/** Global ARGs (declared before the first FROM) with their default values. */
export function globalArgDefaults(dockerfileText: string): Map<string, string> {
    const defaults = new Map<string, string>();
    for (const arg of DockerfileParser.parse(dockerfileText).getInitialARGs()) {
        const property = arg.getProperty();
        if (property) {
            defaults.set(property.getName(), property.getValue() ?? "");
        }
    }
    return defaults;
}

/** Substitutes `$NAME` and `${NAME}` with the given values; unknown names stay as written. */
export function substituteArgs(text: string, values: Map<string, string>): string {
    return text.replace(
        /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
        (whole, braced?: string, bare?: string) => {
            const name = braced ?? bare ?? "";
            return values.get(name) ?? whole;
        },
    );
}

export function parseStages(dockerfileText: string): DockerStage[] {
    const dockerfile = DockerfileParser.parse(dockerfileText);
    const args = globalArgDefaults(dockerfileText);
    const stages: DockerStage[] = [];
    for (const instruction of dockerfile.getInstructions()) {
        if (instruction.getKeyword() === "FROM") {
            stages.push(stageFromInstruction(instruction as From, args, stages));
        } else if (stages.length > 0) {
            stages[stages.length - 1].instructions.push(instruction);
        }
    }
    return stages;
}

function stageFromInstruction(from: From, args: Map<string, string>, earlier: DockerStage[]): DockerStage {
    const image = from.getImage() ?? "";
    const resolvedImage = substituteArgs(image, args);
    const platformFlag = from.getPlatformFlag()?.getValue() ?? null;
    // Stage names are case-insensitive in BuildKit; the latest definition wins.
    const parentStage =
        [...earlier]
            .reverse()
            .find((stage) => stage.name !== null && stage.name.toLowerCase() === resolvedImage.toLowerCase()) ?? null;
    const flagSaysBuildPlatform = platformFlag !== null && BUILD_PLATFORM_VALUES.has(platformFlag);
    // A stage built FROM another stage runs on that stage's platform. Be strict and also
    // require any explicit flag on it to agree, so an odd combination is reported, not trusted.
    const onBuildPlatform = parentStage
        ? parentStage.onBuildPlatform && (platformFlag === null || flagSaysBuildPlatform)
        : flagSaysBuildPlatform;
    return {
        name: from.getBuildStage(),
        image,
        resolvedImage,
        parentStage,
        platformFlag,
        onBuildPlatform,
        line: from.getRange().start.line + 1,
        instructions: [],
    };
}

/**
 * Lists every RUN that would execute in a target-platform stage, i.e. under QEMU when
 * building for a foreign architecture; an empty list means the Dockerfile cross-builds
 * without emulation. Each entry reads `line N: RUN ... (stage "x" ...)`.
 */
export function runsInTargetStage(dockerfileText: string): string[] {
    const offenders: string[] = [];
    for (const stage of parseStages(dockerfileText)) {
        if (stage.onBuildPlatform) {
            continue;
        }
        const label = stage.name ?? `#${stage.line}`;
        for (const instruction of stage.instructions) {
            if (instruction.getKeyword() !== "RUN") {
                continue;
            }
            const command = (instruction.getArgumentsContent() ?? "").replace(/\s+/g, " ").trim();
            offenders.push(
                `line ${instruction.getRange().start.line + 1}: RUN ${command} ` +
                    `(stage "${label}" FROM ${stage.image} is not FROM --platform=$BUILDPLATFORM)`,
            );
        }
    }
    return offenders;
}
