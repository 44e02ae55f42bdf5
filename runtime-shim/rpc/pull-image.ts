// PullImage: resolves a reference from the node's image store; the built-in busybox image is built
// from the host's busybox on first use. There is no registry client: any other image must be imported
// first, and pulling it fails with a message the kubelet shows as ErrImagePull.

import type { PullImageRequest, PullImageResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import { invalidArgument, notFound } from "../errors.js";
import { buildBusyboxImage, busyboxReference } from "../images/busybox.js";
import { isValidReference, normalizeReference } from "../images/reference.js";

export async function pullImage(ctx: ShimContext, req: PullImageRequest): Promise<PullImageResponse> {
  const ref = req.image?.image;
  if (!ref) throw invalidArgument("pull needs an image reference");
  if (!isValidReference(ref)) throw invalidArgument(`"${ref}" is not a valid image reference`);
  const found = ctx.images.find(ref);
  if (found) return { imageRef: found.id };
  if (normalizeReference(ref) === busyboxReference) return { imageRef: buildBusyboxImage(ctx.images).id };
  throw notFound(
    `image "${ref}" not found: this node pulls only from its local image store (import it with \`k8ts image import\`)`,
  );
}
