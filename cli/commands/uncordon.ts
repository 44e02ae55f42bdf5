// `k8ts uncordon`: the definition is shared with cordon (kubectl/cordon-command.ts).

import { cordonCommand } from "../kubectl/cordon-command.js";

export const command = cordonCommand(false);
