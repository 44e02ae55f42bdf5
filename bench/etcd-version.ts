// The version of the etcd a bench ran against (its /version), printed with the figures: etcd 3.4
// and 3.5 differ several times over in what a transaction costs, so figures are only comparable
// on the same version.

import { send } from "./send.js";

export async function etcdVersion(endpoint: string): Promise<string> {
  const { status, text } = await send("GET", `${endpoint}/version`);
  if (status !== 200) return `unknown (GET /version: ${status})`;
  return (JSON.parse(text) as { etcdserver?: string }).etcdserver ?? "unknown";
}
