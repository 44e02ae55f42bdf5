// ImageStatus: one image, or an empty response when it is not present (CRI: absence is not an error).

import type { ImageStatusRequest, ImageStatusResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { invalidArgument } from "../errors.js";
import { toImage } from "./list-images.js";

export async function imageStatus(ctx: ShimContext, req: ImageStatusRequest): Promise<ImageStatusResponse> {
  const ref = req.image?.image;
  if (!ref) throw invalidArgument("image status needs an image reference");
  const image = ctx.images.find(ref);
  return image ? { image: toImage(image), info: {} } : { info: {} };
}
