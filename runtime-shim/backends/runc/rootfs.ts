// A container's root filesystem: the image's unpacked rootfs as the read-only lower layer of an
// overlayfs with a writable upper layer per container, so containers never change the image and
// what one writes is gone when it is removed. Where overlayfs cannot be mounted, a copy is used.
// The overlay is mounted by the container's monitor as the container starts (k8ts-monitor
// --overlay-target); umount and the copy run asynchronously, so the shim serves other calls meanwhile.

import { execFile } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The overlayfs mount options of a container's rootfs over the image's unpacked rootfs. */
export function overlayOptions(image: string, containerDir: string): string {
  return `lowerdir=${image},upperdir=${join(containerDir, "upper")},workdir=${join(containerDir, "work")}`;
}

/**
 * Whether overlayfs can be mounted here: tried once, at start-up, on a scratch directory under
 * `dir`. Where it can, a container's overlay is mounted by its monitor as it starts (one mount(2)
 * call instead of a mount(8) run per CreateContainer); where it cannot, containers get a copy.
 */
export async function overlaySupported(dir: string): Promise<boolean> {
  const scratch = join(dir, `overlay-probe-${process.pid}`);
  const lower = join(scratch, "lower");
  const target = join(scratch, "rootfs");
  const dirs = [lower, join(scratch, "upper"), join(scratch, "work"), target];
  await Promise.all(dirs.map((d) => mkdir(d, { recursive: true })));
  try {
    await run("mount", ["-t", "overlay", "overlay", "-o", overlayOptions(lower, scratch), target]);
    await run("umount", [target]);
    return true;
  } catch {
    return false;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Prepares the container's rootfs at `target`: with overlayfs, the empty upper, work and mount point
 * directories (the monitor mounts it); without, a copy of the image.
 */
export async function prepareRootfs(
  image: string,
  containerDir: string,
  target: string,
  overlay: boolean,
): Promise<void> {
  const dirs = overlay ? [join(containerDir, "upper"), join(containerDir, "work"), target] : [containerDir];
  await Promise.all(dirs.map((d) => mkdir(d, { recursive: true })));
  if (!overlay) await run("cp", ["-a", image, target]);
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
