// The backends by name, and the default: runc when it is installed and we are root, else process.

import { existsSync } from "node:fs";
import type { Backend, BackendName } from "./backend.js";
import { ProcessBackend } from "./process/index.js";

export interface BackendOptions {
  root: string;
  /** runc: the node's pod CIDR and CNI bridge (see runc/cni.ts). */
  podCidr?: string;
  cniBridge?: string;
  cniBinDir?: string;
}

export const backendNames: BackendName[] = ["runc", "process"];

export async function createBackend(name: BackendName, options: BackendOptions): Promise<Backend> {
  switch (name) {
    case "process":
      return new ProcessBackend();
    case "runc": {
      const { RuncBackend } = await import("./runc/index.js");
      return RuncBackend.create(options);
    }
  }
}

export function defaultBackend(): BackendName {
  const runc = ["/usr/sbin/runc", "/usr/bin/runc", "/usr/local/bin/runc", "/usr/local/sbin/runc"].some(
    existsSync,
  );
  return runc && process.getuid?.() === 0 ? "runc" : "process";
}
