// Turns a protobufjs-decoded k8s.io/api message into the object the JSON API would have received,
// walking the message's reflection type. The rules mirror how gogo-protobuf (writer) and Go's
// encoding/json (what the JSON path sees) disagree:
//  - gogo writes every non-pointer field, so "", 0, false, empty lists/maps and empty structs arrive
//    explicitly; JSON has omitempty, so they are dropped here. Pointer fields (marked
//    `(k8ts.pointer)` in the .proto) are written only when set, so their zero value is kept.
//  - embedded Go structs (`(k8ts.inline)`, e.g. Volume.volumeSource) are nested in protobuf but
//    inlined in JSON.
//  - a few apimachinery types have their own JSON form: metav1.Time / MicroTime (RFC 3339),
//    resource.Quantity (string), intstr.IntOrString (number or string), metav1.FieldsV1 (raw JSON).
import type protobuf from "protobufjs";
import { ProtobufDecodeError } from "./decode-error.js";

type Json = unknown;
type Special = (value: Record<string, unknown>) => Json | undefined;

const META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

/** Converters for the types whose JSON form is not their message shape; undefined = zero value. */
const SPECIAL: Record<string, Special> = {
  [`${META}Time`]: (t) => formatTime(t, false),
  [`${META}MicroTime`]: (t) => formatTime(t, true),
  "k8s.io.apimachinery.pkg.api.resource.Quantity": (q) => (q.string ? String(q.string) : undefined),
  "k8s.io.apimachinery.pkg.util.intstr.IntOrString": intOrString,
  [`${META}FieldsV1`]: fieldsV1,
};

/** The JSON object for a decoded message of `type`; never undefined (an empty message is {}). */
export function messageToJson(
  type: protobuf.Type,
  message: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    if (!Object.hasOwn(message, field.name)) continue;
    const opts = field.options ?? {};
    const value = fieldToJson(field, message[field.name], opts["(k8ts.pointer)"] === true);
    if (value === undefined) continue;
    if (opts["(k8ts.inline)"] === true) Object.assign(out, value);
    else out[typeof opts["(k8ts.json)"] === "string" ? opts["(k8ts.json)"] : field.name] = value;
  }
  return out;
}

function fieldToJson(field: protobuf.Field, value: unknown, pointer: boolean): Json | undefined {
  const element = (v: unknown) => valueToJson(field, v, true);
  if (field.map) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return undefined;
    return Object.fromEntries(entries.map(([k, v]) => [k, element(v)]));
  }
  if (field.repeated) {
    const list = value as unknown[];
    return list.length === 0 ? undefined : list.map(element);
  }
  return valueToJson(field, value, pointer);
}

/** One value of a field; `keepZero` for pointer fields and for list elements and map values. */
function valueToJson(field: protobuf.Field, value: unknown, keepZero: boolean): Json | undefined {
  const type = field.resolvedType;
  if (type) {
    const message = value as Record<string, unknown>;
    const fullName = type.fullName.slice(1);
    const special = SPECIAL[fullName];
    if (special) return special(message) ?? (keepZero ? zeroOf(fullName) : undefined);
    const json = messageToJson(type as protobuf.Type, message);
    return keepZero || Object.keys(json).length > 0 ? json : undefined;
  }
  let json: Json;
  switch (field.type) {
    case "bytes":
      json = Buffer.from(value as Uint8Array).toString("base64");
      break;
    case "string":
    case "bool":
      json = value;
      break;
    default:
      json = toNumber(value);
  }
  return keepZero || (json !== "" && json !== 0 && json !== false) ? json : undefined;
}

/** What a present-but-zero special value looks like in JSON (a pointer to a zero Time is null). */
function zeroOf(fullName: string): Json {
  if (fullName.endsWith("IntOrString")) return 0;
  if (fullName.endsWith("Quantity")) return "0";
  if (fullName.endsWith("FieldsV1")) return {};
  return null;
}

/** int64 fields come back from protobufjs as Long objects; JSON numbers are what the API uses. */
function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (value && typeof (value as { toNumber?: unknown }).toNumber === "function")
    return (value as { toNumber(): number }).toNumber();
  throw new ProtobufDecodeError(`expected a number, got ${typeof value}`);
}

// metav1.Time marshals to protobuf as an empty message when it is the zero time (JSON null) and
// to JSON as RFC 3339 in UTC with whole seconds; MicroTime keeps microseconds.
function formatTime(t: Record<string, unknown>, micro: boolean): string | undefined {
  if (!Object.hasOwn(t, "seconds") && !Object.hasOwn(t, "nanos")) return undefined;
  const seconds = toNumber(t.seconds ?? 0);
  const nanos = toNumber(t.nanos ?? 0);
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) throw new ProtobufDecodeError(`time out of range: ${seconds} seconds`);
  const whole = date.toISOString().slice(0, 19);
  return micro ? `${whole}.${String(Math.floor(nanos / 1000)).padStart(6, "0")}Z` : `${whole}Z`;
}

// intstr.IntOrString: type 0 = Int (intVal), 1 = String (strVal). The zero value (Int 0) is what gogo
// writes for an unset non-pointer field, so it counts as unset.
function intOrString(v: Record<string, unknown>): Json | undefined {
  const kind = toNumber(v.type ?? 0);
  if (kind === 1) return typeof v.strVal === "string" ? v.strVal : "";
  if (kind !== 0) throw new ProtobufDecodeError(`IntOrString has unknown type ${kind}`);
  const n = toNumber(v.intVal ?? 0);
  return n === 0 ? undefined : n;
}

// metav1.FieldsV1 carries the JSON document itself (managedFields' fieldsV1).
function fieldsV1(v: Record<string, unknown>): Json | undefined {
  const raw = v.Raw as Uint8Array | undefined;
  if (!raw || raw.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(raw).toString("utf8"));
  } catch {
    throw new ProtobufDecodeError("managedFields fieldsV1 is not valid JSON");
  }
}
