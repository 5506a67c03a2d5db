/**
 * Building app/Dockerfile for real without a Docker engine, as a library for `npm run bench:image` and the image
 * suite (tests/image/): buildah with private storage (buildah.ts), a throwaway local registry (registry.ts),
 * stand-in base images made from Debian packages (nodeBase.ts, layers.ts, baseImages.ts), the app's multi-arch
 * build (appImage.ts), QEMU through binfmt_misc (binfmt.ts) and the host tools they run (exec.ts).
 */
export * from "./appImage";
export * from "./baseImages";
export * from "./binfmt";
export * from "./buildah";
export * from "./exec";
export * from "./layers";
export * from "./nodeBase";
export * from "../../../commands/imageLocal/platforms";
export * from "./registry";
