// The structural schema of every served type, keyed by OpenAPI definition name
// ("io.k8s.api.core.v1.Pod"). One source for strict decoding (strict.ts), strategic merge patch
// (patch/) and the OpenAPI documents; the roots are the `schema` names in resources.ts.

import type { SchemaCatalog, StructSchema } from "../schema.js";
import { APPS_V1 } from "./apps-v1.js";
import { AUTOSCALING_V1 } from "./autoscaling-v1.js";
import { COORDINATION_V1 } from "./coordination-v1.js";
import { CORE_V1 } from "./core-v1.js";
import { META_V1 } from "./meta-v1.js";
import { POLICY_V1 } from "./policy-v1.js";

function catalogOf(...groups: (readonly StructSchema[])[]): SchemaCatalog {
  const map = new Map<string, StructSchema>();
  for (const s of groups.flat()) {
    if (map.has(s.name)) throw new Error(`schema catalog: ${s.name} defined twice`);
    map.set(s.name, s);
  }
  return map;
}

export const CATALOG: SchemaCatalog = catalogOf(
  META_V1,
  CORE_V1,
  APPS_V1,
  COORDINATION_V1,
  POLICY_V1,
  AUTOSCALING_V1,
);
