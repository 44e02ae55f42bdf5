// A container's root filesystem: the image's unpacked rootfs as the read-only lower layer of an
// overlayfs with a writable upper layer per container, so containers never change the image and
// what one writes is gone when it is removed. Where overlayfs cannot be mounted, a copy is used.
// mount/umount run asynchronously, so the shim serves other calls while they work.

import { execFile } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function mountRootfs(
  image: string,
  containerDir: string,
  target: string,
): Promise<"overlay" | "copy"> {
  const upper = join(containerDir, "upper");
  const work = join(containerDir, "work");
  await Promise.all([upper, work, target].map((d) => mkdir(d, { recursive: true })));
  try {
    await run("mount", [
      "-t",
      "overlay",
      "overlay",
      "-o",
      `lowerdir=${image},upperdir=${upper},workdir=${work}`,
      target,
    ]);
    return "overlay";
  } catch {
    await rm(target, { recursive: true, force: true });
    await run("cp", ["-a", image, target]);
    return "copy";
  }
}

/** Unmounts (if mounted) and deletes the container's rootfs layers. Idempotent. */
export async function unmountRootfs(containerDir: string, target: string): Promise<void> {
  try {
    await run("umount", [target]);
  } catch {
    // Not mounted (already unmounted, or the copy fallback).
  }
  for (const d of [target, join(containerDir, "upper"), join(containerDir, "work")])
    await rm(d, { recursive: true, force: true });
}
