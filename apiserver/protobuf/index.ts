// Protobuf request bodies (application/vnd.kubernetes.protobuf), as kubectl ≥ 1.32 sends for its
// typed-client writes, decoded into the JSON shape the rest of the API server works with.
export { type DecodedBody, decodeProtobufBody, PROTOBUF_CONTENT_TYPE } from "./decode-body.js";
export { ProtobufDecodeError } from "./decode-error.js";
