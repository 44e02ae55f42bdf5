// ConfigMap and Secret rules (pkg/apis/core/validation: ValidateConfigMap, ValidateSecret and their
// updates): config keys, a 1 MiB total, no key in both maps, and `immutable` freezing the data.

import type { ConfigMap, Secret } from "../core-v1.js";
import { configKeyErrors } from "./container.js";
import {
  child,
  type FieldError,
  forbidden,
  invalid,
  invalidIf,
  key,
  required,
  tooLong,
} from "./field-error.js";
import { nameIsDNSSubdomain, validateObjectMeta } from "./object-meta.js";
import { semanticEqual } from "./semantic-equal.js";

const MAX_SIZE = 1024 * 1024;
const META_RULES = { namespaced: true, nameCheck: nameIsDNSSubdomain };
const IMMUTABLE = "field is immutable when `immutable` is set";

const base64Bytes = (v: string) => Buffer.from(v, "base64").length;

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs = validateObjectMeta(cm.metadata, META_RULES);
  let total = 0;
  for (const [k, v] of Object.entries(cm.data ?? {})) {
    errs.push(...invalidIf(key("data", k), k, configKeyErrors(k)));
    total += Buffer.byteLength(String(v));
  }
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) {
    errs.push(...invalidIf(key("binaryData", k), k, configKeyErrors(k)));
    if (cm.data && k in cm.data)
      errs.push(invalid(key("data", k), k, "duplicate of key present in binaryData"));
    total += base64Bytes(String(v));
  }
  if (total > MAX_SIZE) errs.push(tooLong("", MAX_SIZE));
  return errs;
}

export function validateSecret(secret: Secret): FieldError[] {
  const errs = validateObjectMeta(secret.metadata, META_RULES);
  let total = 0;
  for (const [k, v] of Object.entries(secret.data ?? {})) {
    errs.push(...invalidIf(key("data", k), k, configKeyErrors(k)));
    total += base64Bytes(String(v));
  }
  if (total > MAX_SIZE) errs.push(tooLong("data", MAX_SIZE));
  // Typed secrets must carry their well-known keys.
  const data = secret.data ?? {};
  const needs: Record<string, string[]> = {
    "kubernetes.io/tls": ["tls.crt", "tls.key"],
    "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
    "kubernetes.io/ssh-auth": ["ssh-privatekey"],
  };
  for (const k of needs[secret.type ?? ""] ?? []) if (!(k in data)) errs.push(required(key("data", k)));
  return errs;
}

function immutableData(
  obj: { immutable?: boolean },
  old: { immutable?: boolean },
  fields: [string, unknown, unknown][],
): FieldError[] {
  if (!old.immutable) return [];
  const errs: FieldError[] = [];
  if (!obj.immutable) errs.push(forbidden("immutable", IMMUTABLE));
  for (const [name, now, was] of fields) if (!semanticEqual(now, was)) errs.push(forbidden(name, IMMUTABLE));
  return errs;
}

export function validateConfigMapUpdate(cm: ConfigMap, old: ConfigMap): FieldError[] {
  return [
    ...validateConfigMap(cm),
    ...immutableData(cm, old, [
      ["data", cm.data, old.data],
      ["binaryData", cm.binaryData, old.binaryData],
    ]),
  ];
}

export function validateSecretUpdate(secret: Secret, old: Secret): FieldError[] {
  const errs = validateSecret(secret);
  if ((secret.type ?? "") !== (old.type ?? ""))
    errs.push(invalid(child("", "type"), secret.type ?? "", "field is immutable"));
  errs.push(...immutableData(secret, old, [["data", secret.data, old.data]]));
  return errs;
}
