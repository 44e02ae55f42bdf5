// A container's root filesystem: the image's unpacked rootfs as the read-only lower layer of an
// overlayfs with a writable upper layer per container, so containers never change the image and
// what one writes is gone when it is removed. Where overlayfs cannot be mounted, a copy is used.

import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

export function mountRootfs(image: string, containerDir: string, target: string): "overlay" | "copy" {
  const upper = join(containerDir, "upper");
  const work = join(containerDir, "work");
  mkdirSync(upper, { recursive: true });
  mkdirSync(work, { recursive: true });
  mkdirSync(target, { recursive: true });
  try {
    execFileSync(
      "mount",
      ["-t", "overlay", "overlay", "-o", `lowerdir=${image},upperdir=${upper},workdir=${work}`, target],
      {
        stdio: "pipe",
      },
    );
    return "overlay";
  } catch {
    rmSync(target, { recursive: true, force: true });
    execFileSync("cp", ["-a", image, target]);
    return "copy";
  }
}

/** Unmounts (if mounted) and deletes the container's rootfs layers. Idempotent. */
export function unmountRootfs(containerDir: string, target: string): void {
  try {
    execFileSync("umount", [target], { stdio: "pipe" });
  } catch {
    // Not mounted (already unmounted, or the copy fallback).
  }
  for (const d of [target, join(containerDir, "upper"), join(containerDir, "work")])
    rmSync(d, { recursive: true, force: true });
}
