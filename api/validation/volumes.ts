// Pod volumes (pkg/apis/core/validation: ValidateVolumes, validateVolumeSource): unique DNS-label
// names and exactly one source each, with the per-source required fields.

import { type KeyToPath, VOLUME_SOURCES, type Volume } from "../core-v1.js";
import { isDNS1123Label, isDNS1123Subdomain } from "../names.js";
import { relativePathErrors, validateQuantity } from "./container.js";
import {
  child,
  duplicate,
  type FieldError,
  forbidden,
  index,
  invalid,
  invalidIf,
  notSupported,
  oneOfIfSet,
  required,
} from "./field-error.js";

const HOST_PATH_TYPES = [
  "",
  "BlockDevice",
  "CharDevice",
  "Directory",
  "DirectoryOrCreate",
  "File",
  "FileOrCreate",
  "Socket",
];
const MAX_MODE = 0o777;

/** Validates the volume list; returns the errors and the set of valid names for volumeMounts. */
export function validateVolumes(
  volumes: Volume[] | undefined,
  path: string,
): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((v, i) => {
    const p = index(path, i);
    if (!v.name) errs.push(required(child(p, "name")));
    else {
      errs.push(...invalidIf(child(p, "name"), v.name, isDNS1123Label(v.name)));
      if (names.has(v.name)) errs.push(duplicate(child(p, "name"), v.name));
      names.add(v.name);
    }
    errs.push(...validateSource(v, p));
  });
  return { errs, names };
}

function validateSource(v: Volume, path: string): FieldError[] {
  const set = VOLUME_SOURCES.filter((s) => v[s] !== undefined && v[s] !== null);
  if (set.length === 0) return [required(path, "must specify a volume type")];
  const errs: FieldError[] = set
    .slice(1)
    .map((s) => forbidden(child(path, s), "may not specify more than 1 volume type"));
  if (v.emptyDir) {
    errs.push(...oneOfIfSet(child(path, "emptyDir", "medium"), v.emptyDir.medium, ["", "Memory"]));
    if (v.emptyDir.sizeLimit !== undefined && v.emptyDir.sizeLimit !== null) {
      errs.push(...validateQuantity(v.emptyDir.sizeLimit, child(path, "emptyDir", "sizeLimit")));
    }
  }
  if (v.hostPath) {
    const p = child(path, "hostPath");
    if (!v.hostPath.path) errs.push(required(child(p, "path")));
    else if (v.hostPath.path.split("/").includes("..")) {
      errs.push(invalid(child(p, "path"), v.hostPath.path, "must not contain '..'"));
    }
    if (v.hostPath.type && !HOST_PATH_TYPES.includes(v.hostPath.type)) {
      errs.push(notSupported(child(p, "type"), v.hostPath.type, HOST_PATH_TYPES));
    }
  }
  if (v.configMap) {
    const p = child(path, "configMap");
    if (!v.configMap.name) errs.push(required(child(p, "name")));
    else errs.push(...invalidIf(child(p, "name"), v.configMap.name, isDNS1123Subdomain(v.configMap.name)));
    errs.push(...validateMode(v.configMap.defaultMode, child(p, "defaultMode")));
    errs.push(...validateItems(v.configMap.items, child(p, "items")));
  }
  if (v.secret) {
    const p = child(path, "secret");
    if (!v.secret.secretName) errs.push(required(child(p, "secretName")));
    else
      errs.push(
        ...invalidIf(child(p, "secretName"), v.secret.secretName, isDNS1123Subdomain(v.secret.secretName)),
      );
    errs.push(...validateMode(v.secret.defaultMode, child(p, "defaultMode")));
    errs.push(...validateItems(v.secret.items, child(p, "items")));
  }
  if (v.downwardAPI) {
    const p = child(path, "downwardAPI");
    errs.push(...validateMode(v.downwardAPI.defaultMode, child(p, "defaultMode")));
    (v.downwardAPI.items ?? []).forEach((item, i) => {
      const ip = index(child(p, "items"), i);
      if (!item.path) errs.push(required(child(ip, "path")));
      else errs.push(...relativePathErrors(item.path, child(ip, "path")));
      const refs = [item.fieldRef, item.resourceFieldRef].filter((r) => r);
      if (refs.length !== 1)
        errs.push(invalid(ip, "", "must specify one of: `fieldRef` or `resourceFieldRef`"));
      errs.push(...validateMode(item.mode, child(ip, "mode")));
    });
  }
  if (v.projected) {
    const p = child(path, "projected");
    errs.push(...validateMode(v.projected.defaultMode, child(p, "defaultMode")));
    (v.projected.sources ?? []).forEach((s, i) => {
      const sp = index(child(p, "sources"), i);
      const kinds = (["configMap", "secret", "downwardAPI", "serviceAccountToken"] as const).filter(
        (k) => s[k],
      );
      if (kinds.length !== 1) errs.push(forbidden(sp, "may not specify more than 1 volume type per source"));
      if (s.serviceAccountToken) {
        const t = s.serviceAccountToken;
        if (!t.path) errs.push(required(child(sp, "serviceAccountToken", "path")));
        if (t.expirationSeconds !== undefined && t.expirationSeconds < 600) {
          errs.push(
            invalid(
              child(sp, "serviceAccountToken", "expirationSeconds"),
              t.expirationSeconds,
              "may not specify a duration less than 10 minutes",
            ),
          );
        }
      }
    });
  }
  if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) {
    errs.push(required(child(path, "persistentVolumeClaim", "claimName")));
  }
  return errs;
}

function validateItems(items: KeyToPath[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (items ?? []).forEach((item, i) => {
    const p = index(path, i);
    if (!item.key) errs.push(required(child(p, "key")));
    if (!item.path) errs.push(required(child(p, "path")));
    else errs.push(...relativePathErrors(item.path, child(p, "path")));
    errs.push(...validateMode(item.mode, child(p, "mode")));
  });
  return errs;
}

function validateMode(mode: number | undefined, path: string): FieldError[] {
  if (mode === undefined || mode === null || (mode >= 0 && mode <= MAX_MODE)) return [];
  return [invalid(path, mode, "must be a number between 0 and 0777 (octal), both inclusive")];
}
