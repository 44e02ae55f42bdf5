// Locating system binaries k8ts relies on, with the Debian package that provides each.

import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export const PACKAGES: Record<string, string> = {
  etcd: "etcd-server",
  runc: "runc",
  busybox: "busybox-static",
};

export function findBinary(name: string): string | undefined {
  const dirs = (process.env.PATH ?? "").split(delimiter).concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
  for (const d of dirs) {
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

export function missingBinaryMessage(name: string): string {
  const pkg = PACKAGES[name] ?? name;
  return `${name} is not installed: install it with \`sudo apt-get install -y ${pkg}\` (or run \`sudo bash deploy/install-deps.sh\` in the k8ts repository)`;
}
