// Importing OCI image archives (`k8ts image import file.tar`): a tar of an OCI image layout, as
// `skopeo copy ... oci-archive:file.tar` or `docker save` (Docker 25+) write it. Blobs are checked
// against their digests, multi-platform indexes resolve to this machine's linux platform, and each
// image is named by --name, or else by its "io.containerd.image.name" / "org.opencontainers.image.ref.name"
// annotation.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { invalidArgument } from "../errors.js";
import type { ImageStore, LocalImage } from "./image-store.js";

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string };
}

const indexTypes = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
];
const arch = process.arch === "x64" ? "amd64" : process.arch;

export function importArchive(store: ImageStore, archive: string, name?: string): LocalImage[] {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-import-"));
  try {
    try {
      execFileSync("tar", ["-xf", archive, "-C", dir], { stdio: "pipe" });
    } catch (e) {
      const why = String((e as { stderr?: Buffer }).stderr ?? "").split("\n")[0];
      throw invalidArgument(`cannot read ${archive} as a tar archive: ${why}`);
    }
    let index: { manifests?: Descriptor[] };
    try {
      index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8"));
    } catch {
      throw invalidArgument(`${archive} is not an OCI image archive (no index.json at its top)`);
    }
    const blob = (d: Descriptor): Buffer => {
      const bytes = readFileSync(join(dir, "blobs", ...d.digest.split(":")));
      const actual = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
      if (actual !== d.digest)
        throw invalidArgument(`blob ${d.digest} in ${archive} is corrupt (its digest is ${actual})`);
      return bytes;
    };
    const imported: LocalImage[] = [];
    for (const top of index.manifests ?? []) {
      const ref =
        name ??
        top.annotations?.["io.containerd.image.name"] ??
        top.annotations?.["org.opencontainers.image.ref.name"];
      if (!ref) throw invalidArgument(`${archive} has an image without a name: give one with --name`);
      let manifest = top;
      if (indexTypes.includes(top.mediaType)) {
        const nested = JSON.parse(blob(top).toString()) as { manifests: Descriptor[] };
        const match = nested.manifests.find(
          (m) => m.platform?.os === "linux" && m.platform?.architecture === arch,
        );
        if (!match) throw invalidArgument(`${archive} has no linux/${arch} image for ${ref}`);
        manifest = match;
      }
      const body = JSON.parse(blob(manifest).toString()) as { config: Descriptor; layers: Descriptor[] };
      for (const d of [body.config, ...body.layers]) store.putBlob(d.mediaType, blob(d));
      const stored = store.putBlob(manifest.mediaType, blob(manifest));
      store.tag(stored, ref);
      imported.push(store.get(ref));
    }
    return imported;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
