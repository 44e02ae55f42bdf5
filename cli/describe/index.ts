// Which describer prints which kind; everything else gets the generic one.

import type { ResourceType } from "../../api/index.js";
import { deploymentDescriber } from "./deployment.js";
import type { Describer } from "./describer.js";
import { genericDescriber } from "./generic.js";
import { nodeDescriber } from "./node.js";
import { podDescriber } from "./pod.js";

const BY_KIND: Record<string, Describer> = {
  "/Pod": podDescriber,
  "apps/Deployment": deploymentDescriber,
  "/Node": nodeDescriber,
};

export function describerFor(r: ResourceType): Describer {
  return BY_KIND[`${r.group}/${r.kind}`] ?? genericDescriber;
}

export { ownedReplicaSets, revisionOf } from "./deployment.js";
export { writePodTemplate } from "./template.js";
export { DescribeWriter } from "./writer.js";
