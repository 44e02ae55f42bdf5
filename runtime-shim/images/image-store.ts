// The node's local images: one OCI image layout under <root>/images/layout (index.json, blobs/sha256)
// holding every image, each manifest named by its normalised reference in the
// "org.opencontainers.image.ref.name" annotation, plus an unpacked read-only rootfs per image under
// <root>/images/rootfs/<id>. Nothing is fetched from a network: PullImage resolves a reference here,
// builds the built-in busybox image on first use, or fails as the kubelet's ErrImagePull expects.
// Layers are applied in order, whiteouts included (apply-layer.ts).

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { notFound } from "../errors.js";
import { applyLayer } from "./apply-layer.js";
import { normalizeReference } from "./reference.js";

const refAnnotation = "org.opencontainers.image.ref.name";

export interface ImageConfig {
  Env?: string[];
  Entrypoint?: string[];
  Cmd?: string[];
  WorkingDir?: string;
  User?: string;
}

export interface LocalImage {
  /** "sha256:<config digest>", the image id CRI reports. */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  config: ImageConfig;
  rootfs: string;
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export class ImageStore {
  readonly layoutDir: string;
  private readonly rootfsDir: string;

  constructor(root: string) {
    this.layoutDir = join(root, "images", "layout");
    this.rootfsDir = join(root, "images", "rootfs");
    mkdirSync(join(this.layoutDir, "blobs", "sha256"), { recursive: true });
    mkdirSync(this.rootfsDir, { recursive: true });
    if (!existsSync(join(this.layoutDir, "oci-layout")))
      writeFileSync(join(this.layoutDir, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}\n');
    if (!existsSync(join(this.layoutDir, "index.json"))) this.writeIndex([]);
  }

  list(): LocalImage[] {
    const byId = new Map<string, LocalImage>();
    for (const d of this.readIndex()) {
      const ref = d.annotations?.[refAnnotation];
      if (!ref) continue;
      const image = this.load(d.digest);
      const seen = byId.get(image.id);
      if (seen) seen.repoTags.push(ref);
      else byId.set(image.id, { ...image, repoTags: [ref] });
    }
    return [...byId.values()];
  }

  /** Finds an image by reference ("busybox", "docker.io/library/busybox:latest") or id (full or prefix). */
  find(refOrId: string): LocalImage | undefined {
    const wanted = refOrId.trim();
    if (!wanted) return undefined;
    const normalized = normalizeReference(wanted);
    const hex = wanted.replace(/^sha256:/, "");
    return this.list().find(
      (i) =>
        i.repoTags.includes(normalized) ||
        i.id === wanted ||
        (/^[0-9a-f]{12,64}$/.test(hex) && i.id.slice(7).startsWith(hex)),
    );
  }

  get(refOrId: string): LocalImage {
    const image = this.find(refOrId);
    if (!image) throw notFound(`image "${refOrId}" is not present on this node`);
    return image;
  }

  /** Removes the image's names, its unpacked rootfs and the blobs nothing else refers to. */
  remove(refOrId: string): void {
    const image = this.find(refOrId);
    if (!image) return; // CRI: removing an absent image succeeds.
    const kept = this.readIndex().filter((d) => this.load(d.digest).id !== image.id);
    this.writeIndex(kept);
    rmSync(join(this.rootfsDir, image.id.slice(7)), { recursive: true, force: true });
    const live = new Set<string>();
    for (const d of kept) {
      live.add(d.digest);
      const m = this.readJson(d.digest);
      live.add(m.config.digest);
      for (const l of m.layers) live.add(l.digest);
    }
    const blobs = join(this.layoutDir, "blobs", "sha256");
    for (const name of execFileSync("ls", [blobs], { encoding: "utf8" }).split("\n").filter(Boolean))
      if (!live.has(`sha256:${name}`)) rmSync(join(blobs, name), { force: true });
  }

  /** Stores a blob and returns its descriptor. */
  putBlob(mediaType: string, bytes: Buffer): Descriptor {
    const hex = createHash("sha256").update(bytes).digest("hex");
    const file = join(this.layoutDir, "blobs", "sha256", hex);
    if (!existsSync(file)) {
      writeFileSync(`${file}.tmp`, bytes);
      renameSync(`${file}.tmp`, file);
    }
    return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
  }

  /** Names a stored manifest by reference (replacing what the name pointed at before). */
  tag(manifest: Descriptor, reference: string): void {
    const ref = normalizeReference(reference);
    const index = this.readIndex().filter((d) => d.annotations?.[refAnnotation] !== ref);
    index.push({ ...manifest, annotations: { [refAnnotation]: ref } });
    this.writeIndex(index);
  }

  /** Bytes used by the image store, for ImageFsInfo. */
  usage(): { bytes: number; inodes: number } {
    const out = execFileSync("du", ["-s", "-B1", join(this.layoutDir, "..")], { encoding: "utf8" });
    const inodes = execFileSync("du", ["-s", "--inodes", join(this.layoutDir, "..")], { encoding: "utf8" });
    return { bytes: Number(out.split(/\s/)[0]), inodes: Number(inodes.split(/\s/)[0]) };
  }

  get mountpoint(): string {
    return join(this.layoutDir, "..");
  }

  private load(manifestDigest: string): Omit<LocalImage, "repoTags"> {
    const manifest = this.readJson(manifestDigest);
    const configDigest: string = manifest.config.digest;
    const config = this.readJson(configDigest);
    const id = configDigest;
    const rootfs = join(this.rootfsDir, id.slice(7));
    if (!existsSync(rootfs)) this.unpack(manifest.layers, rootfs);
    const size = manifest.layers.reduce((n: number, l: Descriptor) => n + l.size, 0);
    return { id, repoDigests: [], size, config: config.config ?? {}, rootfs };
  }

  private unpack(layers: Descriptor[], rootfs: string): void {
    const tmp = `${rootfs}.unpacking`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    for (const l of layers) {
      const blob = join(this.layoutDir, "blobs", "sha256", l.digest.slice(7));
      applyLayer(tmp, blob, l.mediaType.endsWith("gzip") ? "gzip" : "none");
    }
    renameSync(tmp, rootfs);
  }

  private readJson(digest: string): any {
    return JSON.parse(readFileSync(join(this.layoutDir, "blobs", "sha256", digest.slice(7)), "utf8"));
  }

  private readIndex(): Descriptor[] {
    const index = JSON.parse(readFileSync(join(this.layoutDir, "index.json"), "utf8"));
    return index.manifests ?? [];
  }

  private writeIndex(manifests: Descriptor[]): void {
    const file = join(this.layoutDir, "index.json");
    writeFileSync(`${file}.tmp`, `${JSON.stringify({ schemaVersion: 2, manifests }, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
  }
}
