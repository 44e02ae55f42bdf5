// What users type for a resource, resolved against the API's registry the way kubectl resolves it:
// plural, singular, short name or kind ("pods", "pod", "po", "Pod"), optionally qualified by group
// or version and group ("deployments.apps", "deploy.v1.apps"), lists of types ("pods,deploy"), the
// "all" category, and TYPE/NAME pairs ("deploy/web").

import {
  apiVersionOf,
  type KubeObject,
  RESOURCES,
  type ResourceType,
  resourceForKind,
} from "../api/index.js";
import { UsageError } from "./command.js";

export function findResource(token: string): ResourceType | undefined {
  const lower = token.toLowerCase();
  const dot = lower.indexOf(".");
  const name = dot < 0 ? lower : lower.slice(0, dot);
  const qualifier = dot < 0 ? undefined : lower.slice(dot + 1);
  const matches = RESOURCES.filter(
    (r) =>
      r.plural === name ||
      r.singular === name ||
      r.kind.toLowerCase() === name ||
      r.shortNames.includes(name),
  );
  if (qualifier === undefined) return matches[0];
  return matches.find((r) => r.group === qualifier || `${r.version}.${r.group}` === qualifier);
}

export function resolveResource(token: string): ResourceType {
  const r = findResource(token);
  if (!r) {
    throw new UsageError(
      `the server doesn't have a resource type "${token}". Run \`k8ts api-resources\` to see the types.`,
    );
  }
  return r;
}

/** The resource an object in a manifest belongs to, from its apiVersion and kind. */
export function resourceOfObject(obj: KubeObject): ResourceType {
  const r = resourceForKind(obj.apiVersion ?? "", obj.kind ?? "");
  if (!r) {
    const kinds = RESOURCES.map((x) => `${apiVersionOf(x)} ${x.kind}`).join(", ");
    throw new UsageError(
      `no matches for kind "${obj.kind}" in version "${obj.apiVersion}" (this cluster serves: ${kinds})`,
    );
  }
  return r;
}

/** "pod", "deployment.apps": how kubectl names a type in `deployment.apps/web created`. */
export function typeLabel(r: ResourceType): string {
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
}

/** "pod/p1", "deployment.apps/web". */
export function objectLabel(r: ResourceType, name: string): string {
  return `${typeLabel(r)}/${name}`;
}

export interface ResourceSelection {
  resource: ResourceType;
  /** Empty: every object of the type (narrowed by -l). */
  names: string[];
}

/**
 * kubectl's argument forms: `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...`. Types keep the order the
 * user gave; the "all" category expands to the types that list themselves in it.
 */
export function parseResourceArgs(args: string[]): ResourceSelection[] {
  if (args.length === 0)
    throw new UsageError("you must specify the type of resource, e.g. `pods` or `deploy/web`");
  if (args.some((a) => a.includes("/"))) {
    const out: ResourceSelection[] = [];
    for (const a of args) {
      const slash = a.indexOf("/");
      if (slash <= 0 || slash === a.length - 1) {
        throw new UsageError(
          `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (got "${a}")`,
        );
      }
      const resource = resolveResource(a.slice(0, slash));
      const name = a.slice(slash + 1);
      const same = out.find((s) => s.resource === resource);
      if (same) same.names.push(name);
      else out.push({ resource, names: [name] });
    }
    return out;
  }
  const [types, ...names] = args;
  const resources: ResourceType[] = [];
  for (const t of types!.split(",").filter(Boolean)) {
    const expanded =
      t === "all" ? RESOURCES.filter((r) => r.categories.includes("all")) : [resolveResource(t)];
    for (const r of expanded) if (!resources.includes(r)) resources.push(r);
  }
  return resources.map((resource) => ({ resource, names: [...names] }));
}
