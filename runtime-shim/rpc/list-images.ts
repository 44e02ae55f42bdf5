// ListImages: the node's images, optionally only the one a filter names.

import type { Image, ListImagesRequest, ListImagesResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";
import type { LocalImage } from "../images/image-store.js";

export function toImage(i: LocalImage): Image {
  const user = i.config.User ?? "";
  const uid = /^\d+$/.test(user.split(":")[0] ?? "") ? { value: Number(user.split(":")[0]) } : undefined;
  return {
    id: i.id,
    repoTags: i.repoTags,
    repoDigests: i.repoDigests,
    size: i.size,
    uid,
    username: uid ? "" : user,
    spec: { image: i.id },
    pinned: false,
  };
}

export async function listImages(ctx: ShimContext, req: ListImagesRequest): Promise<ListImagesResponse> {
  const wanted = req.filter?.image?.image;
  if (wanted) {
    const one = ctx.images.find(wanted);
    return { images: one ? [toImage(one)] : [] };
  }
  return { images: ctx.images.list().map(toImage) };
}
