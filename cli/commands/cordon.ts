// `k8ts cordon`: the definition is shared with uncordon (kubectl/cordon-command.ts).

import { cordonCommand } from "../kubectl/cordon-command.js";

export const command = cordonCommand(true);
