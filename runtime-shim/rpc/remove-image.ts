// RemoveImage: forgets an image; removing one that is absent succeeds.

import type { RemoveImageRequest, RemoveImageResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { invalidArgument } from "../errors.js";

export async function removeImage(ctx: ShimContext, req: RemoveImageRequest): Promise<RemoveImageResponse> {
  const ref = req.image?.image;
  if (!ref) throw invalidArgument("remove needs an image reference");
  ctx.images.remove(ref);
  return {};
}
