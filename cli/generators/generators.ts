// `k8ts create deployment|configmap|secret generic|namespace NAME`: the object kubectl 1.32 builds
// for the same command (compare `kubectl create ... --dry-run=client -o yaml`): the same labels,
// container names, explicit replicas, and kubectl's empty fields (creationTimestamp: null,
// status: {}), so printed and stored objects are the same.

import { randomBytes } from "node:crypto";
import type { KubeObject } from "../../api/index.js";
import { UsageError } from "../command.js";
import { type DataSources, readSources } from "./data-sources.js";

/** metadata as kubectl's generators set it: the namespace only when -n was given. */
function meta(name: string, namespace: string | undefined, labels?: Record<string, string>) {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    creationTimestamp: null,
    ...(labels ? { labels } : {}),
  };
}

/**
 * A container name from an image, as kubectl derives it: the last path part without tag or digest
 * ("docker.io/library/nginx:1.25" is "nginx"); a name with '_' becomes '-' plus a random suffix.
 */
export function containerName(
  image: string,
  random = () => randomBytes(3).toString("hex").slice(0, 5),
): string {
  let name = image.split("/").at(-1)!;
  name = name.split(":")[0]!.split("@")[0]!;
  return name.includes("_") ? `${name.replaceAll("_", "-")}-${random()}` : name;
}

export interface DeploymentOptions {
  images: string[];
  replicas: number;
  /** --port: the first container's containerPort (kubectl: -1, none). */
  port?: number;
  command: string[];
}

export function deployment(name: string, namespace: string | undefined, o: DeploymentOptions): KubeObject {
  if (o.images.length === 0) throw new UsageError('required flag(s) "image" not set');
  const labels = { app: name };
  const containers = o.images.map((image, i) => ({
    name: containerName(image),
    image,
    ...(o.command.length > 0 ? { command: o.command } : {}),
    ...(i === 0 && o.port !== undefined ? { ports: [{ containerPort: o.port }] } : {}),
    resources: {},
  }));
  return {
    kind: "Deployment",
    apiVersion: "apps/v1",
    metadata: meta(name, namespace, labels),
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: labels },
      template: { metadata: { creationTimestamp: null, labels }, spec: { containers } },
      strategy: {},
    },
    status: {},
  } as unknown as KubeObject;
}

/** Text that is valid UTF-8 goes to data, anything else to binaryData (base64), as kubectl does. */
export function configMap(name: string, namespace: string | undefined, src: DataSources): KubeObject {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const [key, bytes] of readSources(src, `ConfigMap "${name}"`)) {
    const text = new TextDecoder("utf-8", { fatal: true });
    try {
      data[key] = text.decode(bytes);
    } catch {
      binaryData[key] = bytes.toString("base64");
    }
  }
  return {
    kind: "ConfigMap",
    apiVersion: "v1",
    metadata: meta(name, namespace),
    ...(Object.keys(data).length ? { data } : {}),
    ...(Object.keys(binaryData).length ? { binaryData } : {}),
  } as unknown as KubeObject;
}

export function genericSecret(
  name: string,
  namespace: string | undefined,
  src: DataSources,
  type?: string,
): KubeObject {
  const data = Object.fromEntries(
    readSources(src, `Secret "${name}"`).map(([k, bytes]) => [k, bytes.toString("base64")]),
  );
  return {
    kind: "Secret",
    apiVersion: "v1",
    metadata: meta(name, namespace),
    ...(Object.keys(data).length ? { data } : {}),
    ...(type ? { type } : {}),
  } as unknown as KubeObject;
}

export function namespaceObject(name: string): KubeObject {
  return {
    kind: "Namespace",
    apiVersion: "v1",
    metadata: meta(name, undefined),
    spec: {},
    status: {},
  } as unknown as KubeObject;
}
