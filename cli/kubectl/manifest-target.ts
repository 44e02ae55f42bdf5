// Where an object from a file goes: its resource from apiVersion/kind, and for namespaced kinds
// the file's namespace, else -n, else the context's. A file naming another namespace than an
// explicit -n is refused, as kubectl refuses it.

import type { KubeObject, ResourceType } from "../../api/index.js";
import { UsageError } from "../command.js";
import type { Kube } from "../kube.js";
import type { Manifest } from "../manifests.js";
import { resourceOfObject } from "../resources.js";

export interface Target {
  resource: ResourceType;
  name: string;
  namespace?: string;
  object: KubeObject;
  source: string;
}

export function targetOf(kube: Kube, m: Manifest): Target {
  const resource = resourceOfObject(m.object);
  const object: KubeObject = { ...m.object, metadata: { ...m.object.metadata } };
  const name = object.metadata.name ?? "";
  if (!resource.namespaced) return { resource, name, object, source: m.source };
  const own = object.metadata.namespace;
  if (own && kube.namespaceFlag && own !== kube.namespace) {
    throw new UsageError(
      `the namespace from the provided object "${own}" does not match the namespace "${kube.namespace}". You must pass '--namespace=${own}' to perform this operation.`,
    );
  }
  object.metadata.namespace = own ?? kube.namespace;
  return { resource, name, namespace: object.metadata.namespace, object, source: m.source };
}
