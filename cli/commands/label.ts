// `k8ts label`: defined with annotate in kubectl/metadata-command.ts.

import { metadataCommand } from "../kubectl/metadata-command.js";

export const command = metadataCommand("labels");
