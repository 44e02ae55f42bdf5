// One describer per kind, plus the generic one; each reads what it needs and returns the text.

import type { KubeObject, ResourceType } from "../../api/index.js";
import type { RestClient } from "../../client/index.js";

export interface Describer {
  describe(client: RestClient, r: ResourceType, obj: KubeObject, now: number): Promise<string>;
}
