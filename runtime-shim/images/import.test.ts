import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { buildBusyboxImage } from "./busybox.js";
import { ImageStore } from "./image-store.js";
import { importArchive } from "./import.js";

test("an OCI archive imports under its annotated name or --name; a corrupt blob is refused", () => {
  const dir = mkdtempSync(join(tmpdir(), "k8ts-import-test-"));
  try {
    const source = new ImageStore(join(dir, "a"));
    const built = buildBusyboxImage(source);
    const archive = join(dir, "busybox.tar");
    execFileSync("tar", ["-cf", archive, "-C", source.layoutDir, "."]);

    const target = new ImageStore(join(dir, "b"));
    const [byAnnotation] = importArchive(target, archive);
    assert.equal(byAnnotation?.id, built.id);
    assert.deepEqual(byAnnotation?.repoTags, ["docker.io/library/busybox:latest"]);
    importArchive(target, archive, "registry.example.com/tools/bb:1");
    assert.equal(target.find("registry.example.com/tools/bb:1")?.id, built.id);
    assert.ok(target.find("registry.example.com/tools/bb:1")!.rootfs.length > 0);

    // Flip the config blob's content: the digest no longer matches.
    writeFileSync(join(source.layoutDir, "blobs", "sha256", built.id.slice(7)), "{}");
    execFileSync("tar", ["-cf", archive, "-C", source.layoutDir, "."]);
    assert.throws(() => importArchive(new ImageStore(join(dir, "c")), archive), /is corrupt/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
