// HTTP/2 frames (RFC 9113 §4, §6): the 9-octet frame header, the frame types and flags a gRPC
// client meets, and encoders for the frames it sends. h2-connection.ts holds the state machine;
// this file only knows the wire layout.

export const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");
export const FRAME_HEADER = 9;

export const DATA = 0x0;
export const HEADERS = 0x1;
export const RST_STREAM = 0x3;
export const SETTINGS = 0x4;
export const PUSH_PROMISE = 0x5;
export const PING = 0x6;
export const GOAWAY = 0x7;
export const WINDOW_UPDATE = 0x8;
export const CONTINUATION = 0x9;

export const END_STREAM = 0x1;
export const ACK = 0x1;
export const END_HEADERS = 0x4;
export const PADDED = 0x8;
export const PRIORITY_FLAG = 0x20;

export const SETTINGS_ENABLE_PUSH = 0x2;
export const SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
export const SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
export const SETTINGS_MAX_FRAME_SIZE = 0x5;

export const PROTOCOL_ERROR = 0x1;
export const FLOW_CONTROL_ERROR = 0x3;
export const FRAME_SIZE_ERROR = 0x6;
export const CANCEL = 0x8;
export const COMPRESSION_ERROR = 0x9;

/** The default and smallest SETTINGS_MAX_FRAME_SIZE, and the initial flow-control window (§6.5.2). */
export const DEFAULT_MAX_FRAME_SIZE = 16_384;
export const DEFAULT_WINDOW = 65_535;
export const MAX_WINDOW = 2 ** 31 - 1;

/** A frame header: payload length (24 bits), type, flags, stream id (31 bits). */
export function frameHeader(length: number, type: number, flags: number, streamId: number): Buffer {
  const h = Buffer.allocUnsafe(FRAME_HEADER);
  h.writeUIntBE(length, 0, 3);
  h[3] = type;
  h[4] = flags;
  h.writeUInt32BE(streamId, 5);
  return h;
}

/** A whole frame with `payload` copied in (for the small control frames). */
export function frame(type: number, flags: number, streamId: number, payload: Uint8Array): Buffer {
  const f = Buffer.allocUnsafe(FRAME_HEADER + payload.length);
  f.writeUIntBE(payload.length, 0, 3);
  f[3] = type;
  f[4] = flags;
  f.writeUInt32BE(streamId, 5);
  f.set(payload, FRAME_HEADER);
  return f;
}

export function settingsFrame(settings: ReadonlyArray<readonly [number, number]>): Buffer {
  const p = Buffer.allocUnsafe(6 * settings.length);
  settings.forEach(([id, value], i) => {
    p.writeUInt16BE(id, 6 * i);
    p.writeUInt32BE(value, 6 * i + 2);
  });
  return frame(SETTINGS, 0, 0, p);
}

export const SETTINGS_ACK = frame(SETTINGS, ACK, 0, Buffer.alloc(0));

export function windowUpdateFrame(streamId: number, increment: number): Buffer {
  const p = Buffer.allocUnsafe(4);
  p.writeUInt32BE(increment, 0);
  return frame(WINDOW_UPDATE, 0, streamId, p);
}

export function rstStreamFrame(streamId: number, code: number): Buffer {
  const p = Buffer.allocUnsafe(4);
  p.writeUInt32BE(code, 0);
  return frame(RST_STREAM, 0, streamId, p);
}

export function goawayFrame(lastStreamId: number, code: number, debug = ""): Buffer {
  const d = Buffer.from(debug);
  const p = Buffer.allocUnsafe(8 + d.length);
  p.writeUInt32BE(lastStreamId, 0);
  p.writeUInt32BE(code, 4);
  d.copy(p, 8);
  return frame(GOAWAY, 0, 0, p);
}

/** A frame's payload without its padding (PADDED: a pad-length octet first, that many octets last). */
export function unpad(flags: number, payload: Buffer): Buffer | undefined {
  if (!(flags & PADDED)) return payload;
  if (payload.length < 1) return undefined;
  const pad = payload[0]!;
  if (pad >= payload.length) return undefined;
  return payload.subarray(1, payload.length - pad);
}
