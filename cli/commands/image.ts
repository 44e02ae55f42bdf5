// `k8ts image`: the node's local image store (the runtime-shim's --root), used without a running shim.

import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildBusyboxImage, ImageStore, importArchive } from "../../runtime-shim/index.js";
import { type Command, UsageError } from "../command.js";

export const command: Command = {
  summary: "Manage the node's local images: import OCI archives, build the built-in busybox, list",
  usage: `Usage: k8ts image <import FILE.tar [--name REF] | build-busybox | list> [--root DIR]

  import         import an OCI image archive (skopeo oci-archive, docker save); --name overrides its name
  build-busybox  (re)build the built-in busybox image from the host's /bin/busybox
  list           print the images: id, size, names
  --root         the runtime-shim's root (default /var/lib/k8ts/runtime)`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        root: { type: "string", default: "/var/lib/k8ts/runtime" },
        name: { type: "string" },
      },
      allowPositionals: true,
      strict: true,
    });
    const store = new ImageStore(values.root!);
    const [sub, file] = positionals;
    switch (sub) {
      case "import": {
        if (!file) throw new UsageError("k8ts image import needs an archive file");
        for (const i of importArchive(store, resolve(file), values.name))
          process.stdout.write(`imported ${i.repoTags.join(", ")} ${i.id}\n`);
        return 0;
      }
      case "build-busybox": {
        const i = buildBusyboxImage(store);
        process.stdout.write(`built ${i.repoTags.join(", ")} ${i.id}\n`);
        return 0;
      }
      case "list": {
        for (const i of store.list())
          process.stdout.write(
            `${i.id.slice(7, 19)}  ${String(i.size).padStart(10)}  ${i.repoTags.join(", ")}\n`,
          );
        return 0;
      }
      default:
        throw new UsageError(`k8ts image: unknown subcommand "${sub ?? ""}" (import, build-busybox, list)`);
    }
  },
};
