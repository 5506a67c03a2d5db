// `graviton-multiarch:image`: the buildx builders of the multi-arch image.
import { z } from "zod";
import { text } from "./values";

const builderNameError =
    "expected a buildx builder name: letters, digits, '_', '.' and '-', starting with a letter or digit";
const builderName = text(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, builderNameError);

export const imageSchema = z.strictObject({
    amd64Builder: builderName.optional(),
    arm64Builder: builderName.optional(),
});
