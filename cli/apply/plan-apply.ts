// Client-side apply, decided before anything is sent: create the object when it is missing (with
// the last-applied-configuration annotation), else a three-way strategic merge patch, or nothing.

import { CATALOG, type KubeObject, type ResourceType } from "../../api/index.js";
import { type JsonObject, threeWayPatch } from "./three-way-patch.js";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

export type ApplyPlan =
  | { action: "create"; object: KubeObject }
  | { action: "patch"; patch: JsonObject }
  | { action: "unchanged" };

/** Go's json.Marshal of an unstructured object: map keys sorted at every level. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/**
 * The manifest as it will be stored: its own annotations plus last-applied, which is the manifest
 * itself (keys sorted, a trailing newline, and `"annotations":{}` when it had none) as kubectl writes it.
 */
export function withLastApplied(manifest: KubeObject): KubeObject {
  const annotations = { ...manifest.metadata.annotations };
  delete annotations[LAST_APPLIED];
  const recorded = { ...manifest, metadata: { ...manifest.metadata, annotations } };
  return {
    ...manifest,
    metadata: {
      ...manifest.metadata,
      annotations: { ...annotations, [LAST_APPLIED]: `${sortedJson(recorded)}\n` },
    },
  };
}

function lastApplied(live: KubeObject): JsonObject | undefined {
  const text = live.metadata.annotations?.[LAST_APPLIED];
  if (!text) return undefined;
  try {
    return JSON.parse(text) as JsonObject;
  } catch {
    return undefined;
  }
}

export function planApply(
  resource: ResourceType,
  manifest: KubeObject,
  live: KubeObject | undefined,
): ApplyPlan {
  const modified = withLastApplied(manifest);
  if (!live) return { action: "create", object: modified };
  const patch = threeWayPatch(
    lastApplied(live),
    modified as unknown as JsonObject,
    live as unknown as JsonObject,
    CATALOG,
    resource.schema,
  );
  return Object.keys(patch).length === 0 ? { action: "unchanged" } : { action: "patch", patch };
}

/** kubectl warns once when it takes over an object that was not created by apply. */
export function missingLastApplied(live: KubeObject): boolean {
  return live.metadata.annotations?.[LAST_APPLIED] === undefined;
}
