// Decodes a Kubernetes protobuf request body (what client-go ≥ 1.32 typed clients send, see
// kubectl-compat.md §4) into the object the JSON API would have received.
//
// Wire format (apimachinery's protobuf serializer): the 4 magic bytes "k8s\0", then a
// runtime.Unknown whose typeMeta names the kind and whose raw holds the object's own message.
import { ProtobufDecodeError } from "./decode-error.js";
import { lookupMessage, messageNameFor, UNKNOWN_MESSAGE } from "./schema.js";
import { messageToJson } from "./to-json.js";

export const PROTOBUF_CONTENT_TYPE = "application/vnd.kubernetes.protobuf";

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

export interface DecodedBody {
  apiVersion: string;
  kind: string;
  /** The object in its JSON shape, with apiVersion and kind set. */
  object: Record<string, unknown>;
}

/** Decodes a protobuf body; every failure is a ProtobufDecodeError with a message fit for a Status. */
export function decodeProtobufBody(body: Buffer): DecodedBody {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC))
    throw new ProtobufDecodeError('protobuf body does not start with the "k8s\\0" magic prefix');
  const unknown = decode(UNKNOWN_MESSAGE, body.subarray(MAGIC.length), "the runtime.Unknown envelope");
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion ?? "";
  const kind = typeMeta.kind ?? "";
  if (!apiVersion || !kind)
    throw new ProtobufDecodeError("protobuf body does not name its apiVersion and kind");
  if (unknown.contentEncoding)
    throw new ProtobufDecodeError(
      `protobuf body has unsupported contentEncoding "${unknown.contentEncoding}"`,
    );
  const messageName = messageNameFor(apiVersion, kind);
  if (!messageName)
    throw new ProtobufDecodeError(`no protobuf decoder for ${apiVersion}, Kind=${kind}: send JSON instead`);
  const raw = (unknown.raw as Uint8Array | undefined) ?? new Uint8Array();
  const message = decode(messageName, raw, `${apiVersion}, Kind=${kind}`);
  try {
    const object = { apiVersion, kind, ...messageToJson(lookupMessage(messageName), message) };
    return { apiVersion, kind, object };
  } catch (err) {
    throw wrap(err, `${apiVersion}, Kind=${kind}`);
  }
}

function decode(messageName: string, bytes: Uint8Array, what: string): Record<string, unknown> {
  // Outside the try: a schema that fails to load is a k8ts bug, not a malformed body.
  const type = lookupMessage(messageName);
  try {
    return type.decode(bytes) as unknown as Record<string, unknown>;
  } catch (err) {
    throw wrap(err, what);
  }
}

function wrap(err: unknown, what: string): ProtobufDecodeError {
  const reason = err instanceof Error ? err.message : String(err);
  return new ProtobufDecodeError(`malformed protobuf body (${what}): ${reason}`);
}
