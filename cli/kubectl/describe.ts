// `k8ts describe`: each selected object through its kind's describer, separated by a blank line.

import type { KubeObject } from "../../api/index.js";
import { isNotFound } from "../../client/index.js";
import { describerFor } from "../describe/index.js";
import { reportError } from "../errors.js";
import type { Kube } from "../kube.js";
import type { ResourceSelection } from "../resources.js";

export async function describe(
  kube: Kube,
  selections: ResourceSelection[],
  opts: { labelSelector?: string; allNamespaces: boolean },
): Promise<number> {
  let code = 0;
  const texts: string[] = [];
  for (const { resource, names } of selections) {
    const namespace = resource.namespaced ? kube.namespace : undefined;
    let objects: KubeObject[] = [];
    if (names.length === 0) {
      const list = await kube.client.listAll(resource, {
        namespace: opts.allNamespaces ? undefined : namespace,
        labelSelector: opts.labelSelector,
      });
      objects = list.items;
    } else {
      for (const name of names) {
        try {
          objects.push(await kube.client.get(resource, name, { namespace }));
        } catch (err) {
          if (!isNotFound(err)) throw err;
          code = reportError(err);
        }
      }
    }
    for (const obj of objects)
      texts.push(await describerFor(resource).describe(kube.client, resource, obj, Date.now()));
  }
  process.stdout.write(texts.join("\n\n"));
  if (texts.length === 0 && code === 0)
    process.stderr.write(`No resources found in ${kube.namespace} namespace.\n`);
  return code;
}
