import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { whiteoutsOf } from "./apply-layer.js";
import { ImageStore } from "./image-store.js";

describe("image layers", () => {
  it("whiteoutsOf: .wh.<name> removes the name, .wh..wh..opq empties its directory", () => {
    assert.deepEqual(
      whiteoutsOf(["./", "./a/", "./a/.wh.file", "./d/.wh..wh..opq", "./d/z", ".wh.top", "x/.wh.dir/"]),
      { remove: ["a/file", "top", "x/dir"], emptyDirs: ["d"] },
    );
  });

  it("a two-layer image unpacks with the upper layer's whiteouts applied to the lower one", () => {
    const dir = mkdtempSync(join(tmpdir(), "k8ts-layers-test-"));
    try {
      // A file of the "host" that a hostile whiteout would reach through a lower layer's symlink.
      const host = join(dir, "host");
      mkdirSync(host);
      writeFileSync(join(host, "precious"), "keep");
      const layer = (name: string, files: Record<string, string>, links: Record<string, string> = {}) => {
        const root = join(dir, name);
        for (const [path, content] of Object.entries(files)) {
          mkdirSync(join(root, path, ".."), { recursive: true });
          writeFileSync(join(root, path), content);
        }
        for (const [path, target] of Object.entries(links)) symlinkSync(target, join(root, path));
        const tar = join(dir, `${name}.tar`);
        execFileSync("tar", ["-cf", tar, "-C", root, "."]);
        return execFileSync("gzip", ["-n", "-c", tar]);
      };
      const lower = layer(
        "lower",
        { "a/file": "1", "a/kept": "2", "d/x": "x", "d/sub/y": "y", "gone/deep/f": "f" },
        { escape: host },
      );
      const upper = layer("upper", {
        "a/.wh.file": "",
        "d/.wh..wh..opq": "",
        "d/z": "z",
        ".wh.gone": "",
        "escape/.wh.precious": "",
        "new": "n",
      });
      const store = new ImageStore(join(dir, "store"));
      const gz = "application/vnd.oci.image.layer.v1.tar+gzip";
      const manifest = store.putBlob(
        "application/vnd.oci.image.manifest.v1+json",
        Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            config: store.putBlob("application/vnd.oci.image.config.v1+json", Buffer.from('{"config":{}}')),
            layers: [store.putBlob(gz, lower), store.putBlob(gz, upper)],
          }),
        ),
      );
      store.tag(manifest, "example.com/layers:1");
      const { rootfs } = store.get("example.com/layers:1");
      const tree = (p: string): string[] =>
        readdirSync(join(rootfs, p), { withFileTypes: true })
          .flatMap((e) => (e.isDirectory() ? tree(join(p, e.name)).map((c) => `${e.name}/${c}`) : [e.name]))
          .sort();
      // (The upper layer's `escape/` directory entry replaces the lower layer's symlink, as tar does.)
      assert.deepEqual(tree("."), ["a/kept", "d/z", "new"]);
      assert.ok(existsSync(join(host, "precious")), "a whiteout never follows a symlink out of the rootfs");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
