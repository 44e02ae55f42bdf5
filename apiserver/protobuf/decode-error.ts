/**
 * A protobuf request body k8ts cannot turn into an object: wrong magic, malformed bytes, or a kind
 * without a decoder. The API server answers it like Kubernetes answers an undecodable body
 * (400 BadRequest, or 415 UnsupportedMediaType for a kind it has no protobuf codec for).
 */
export class ProtobufDecodeError extends Error {
  override name = "ProtobufDecodeError";
}
