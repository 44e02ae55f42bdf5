// Applying one OCI image layer onto a rootfs being unpacked, with the image spec's whiteouts
// (image-spec layer.md): a file `.wh.<name>` deletes `<name>` from the layers below, and a file
// `.wh..wh..opq` in a directory hides everything the layers below put in that directory. Whiteouts
// only act on lower layers, so they are applied before the layer's own files are written, and the
// whiteout files themselves never reach the rootfs.

import { execFileSync } from "node:child_process";
import { readdirSync, realpathSync, rmSync } from "node:fs";
import { basename, dirname, join, sep } from "node:path";

const WHITEOUT = ".wh.";
const OPAQUE = ".wh..wh..opq";

export type LayerCompression = "gzip" | "none";

/** What a layer's whiteouts ask for, relative to the rootfs: paths to delete and directories to empty. */
export interface Whiteouts {
  remove: string[];
  emptyDirs: string[];
}

/** Pure: the whiteouts among a layer's member names (as `tar -t` lists them). */
export function whiteoutsOf(members: string[]): Whiteouts {
  const remove: string[] = [];
  const emptyDirs: string[] = [];
  for (const raw of members) {
    const name = raw.replace(/^\.\//, "").replace(/\/$/, "");
    const base = basename(name);
    if (!base.startsWith(WHITEOUT)) continue;
    const dir = dirname(name) === "." ? "" : dirname(name);
    if (base === OPAQUE) emptyDirs.push(dir);
    else remove.push(join(dir, base.slice(WHITEOUT.length)));
  }
  return { remove, emptyDirs };
}

export function applyLayer(rootfs: string, blob: string, compression: LayerCompression): void {
  const z = compression === "gzip" ? ["-z"] : [];
  const members = execFileSync("tar", [...z, "-tf", blob], { encoding: "utf8", maxBuffer: 256 << 20 })
    .split("\n")
    .filter(Boolean);
  const { remove, emptyDirs } = whiteoutsOf(members);
  for (const dir of emptyDirs) {
    // The directory itself is resolved too: a lower layer's symlink must not be emptied through.
    const target = inside(rootfs, dir, true);
    if (!target) continue;
    for (const entry of readdirSync(target)) rmSync(join(target, entry), { recursive: true, force: true });
  }
  for (const path of remove) {
    // rm of a symlink removes the link, so only the parent needs resolving.
    const target = inside(rootfs, path, false);
    if (target) rmSync(target, { recursive: true, force: true });
  }
  execFileSync("tar", [...z, "-xf", blob, "-C", rootfs, "--numeric-owner", `--exclude=${WHITEOUT}*`]);
}

/**
 * The path `rel` under `rootfs`, if it resolves inside the rootfs (its parent only, unless
 * `resolveLast`): a symlink from a lower layer (say `etc -> /etc`) must never lead a whiteout to
 * delete a file of the host. Undefined when the path does not exist (nothing to delete) or leads outside.
 */
function inside(rootfs: string, rel: string, resolveLast: boolean): string | undefined {
  const root = realpathSync(rootfs);
  const target = join(root, rel);
  if (target !== root && !target.startsWith(root + sep)) return undefined;
  if (target === root) return root;
  let resolved: string;
  try {
    resolved = resolveLast ? realpathSync(target) : join(realpathSync(dirname(target)), basename(target));
  } catch {
    return undefined;
  }
  return resolved === root || resolved.startsWith(root + sep) ? resolved : undefined;
}
