// ImageFsInfo: space used by the image store, for the kubelet's image garbage collection.

import type { ImageFsInfoRequest, ImageFsInfoResponse } from "../../proto/runtime/v1/index.js";
import type { ShimContext } from "../context.js";

export async function imageFsInfo(ctx: ShimContext, _req: ImageFsInfoRequest): Promise<ImageFsInfoResponse> {
  const u = ctx.images.usage();
  return {
    imageFilesystems: [
      {
        timestamp: ctx.now(),
        fsId: { mountpoint: ctx.images.mountpoint },
        usedBytes: { value: u.bytes },
        inodesUsed: { value: u.inodes },
      },
    ],
    containerFilesystems: [],
  };
}
