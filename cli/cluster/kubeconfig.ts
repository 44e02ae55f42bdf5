// The kubeconfig `k8ts up` writes: usable by k8ts and by the real kubectl.

import { writeFileSync } from "node:fs";

export function renderKubeconfig(server: string, name = "k8ts"): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: ${name}
  cluster:
    server: ${server}
contexts:
- name: ${name}
  context:
    cluster: ${name}
    namespace: default
current-context: ${name}
preferences: {}
users: []
`;
}

export function writeKubeconfig(path: string, server: string): void {
  writeFileSync(path, renderKubeconfig(server), { mode: 0o600 });
}
