// RemoveImage: forgets an image; removing one that is absent succeeds. An image a container still
// uses is refused: its unpacked rootfs is the read-only lower layer of that container's root.

import type { RemoveImageRequest, RemoveImageResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { failedPrecondition, invalidArgument } from "../errors.js";

export async function removeImage(ctx: ShimContext, req: RemoveImageRequest): Promise<RemoveImageResponse> {
  const ref = req.image?.image;
  if (!ref) throw invalidArgument("remove needs an image reference");
  const image = ctx.images.find(ref);
  if (!image) return {};
  const user = [...ctx.store.containers.values()].find((c) => c.imageId === image.id);
  if (user)
    throw failedPrecondition(`image ${ref} is in use by container ${user.id}: remove the container first`);
  ctx.images.remove(image.id);
  return {};
}
