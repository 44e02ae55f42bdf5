// `k8ts annotate`: defined with label in kubectl/metadata-command.ts.

import { metadataCommand } from "../kubectl/metadata-command.js";

export const command = metadataCommand("annotations");
