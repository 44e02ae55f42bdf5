// The protobuf wire form of the part of etcd's API the API server uses (etcdserverpb.KV Range
// and Txn, with Put and DeleteRange inside transactions; etcdserverpb.Lease's LeaseGrant;
// etcdserverpb.Watch's create request and its responses; field numbers from etcd's rpc.proto and kv.proto). Written by hand over protobufjs' Writer and Reader so a request costs
// one buffer and no object conversion: the etcd3 client's generic path (proto-loader's
// fromObject/toObject, 64-bit integers as strings) was a visible part of every API write.

import protobuf from "protobufjs/minimal.js";

const { Reader, Writer } = protobuf;
type Reader = protobuf.Reader;
type Writer = protobuf.Writer;

export interface KeyValue {
  key: string;
  createRevision: number;
  modRevision: number;
  value: Buffer;
}

export interface RangeRequest {
  key: string;
  /** Exclusive end of the range; absent: the single key. */
  rangeEnd?: string;
  limit?: number;
  /** Read at this revision (a consistent snapshot); absent or 0: the newest. */
  revision?: number;
}

export interface RangeResponse {
  revision: number;
  kvs: KeyValue[];
  more: boolean;
}

export type RequestOp =
  | { range: RangeRequest }
  /** lease: the lease ID in decimal (64-bit, beyond a JS number's exact range). */
  | { put: { key: string; value: string; lease?: string } }
  | { deleteRange: { key: string } };

export interface ResponseOp {
  /** Set when the op was a range. */
  range?: RangeResponse;
}

/**
 * A guard on one key: its create or mod revision compared with a number, equal (the default) or
 * not (a missing key's revisions are 0, so Create not-equal 0 means "the key exists").
 */
export interface Compare {
  key: string;
  target: "Create" | "Mod";
  equals: number;
  notEqual?: boolean;
}

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure?: RequestOp[];
}

export interface TxnResponse {
  revision: number;
  succeeded: boolean;
  responses: ResponseOp[];
}

// Field numbers (rpc.proto, kv.proto).
const LEN = 2;
const VARINT = 0;
const tag = (field: number, wire: number) => (field << 3) | wire;

function writeRange(w: Writer, r: RangeRequest): Writer {
  w.uint32(tag(1, LEN)).string(r.key);
  if (r.rangeEnd !== undefined) w.uint32(tag(2, LEN)).string(r.rangeEnd);
  if (r.limit) w.uint32(tag(3, VARINT)).int64(r.limit);
  if (r.revision) w.uint32(tag(4, VARINT)).int64(r.revision);
  return w;
}

function writeOp(w: Writer, op: RequestOp): void {
  w.fork();
  if ("range" in op) {
    w.uint32(tag(1, LEN)).fork();
    writeRange(w, op.range).ldelim();
  } else if ("put" in op) {
    w.uint32(tag(2, LEN)).fork();
    w.uint32(tag(1, LEN)).string(op.put.key);
    w.uint32(tag(2, LEN)).string(op.put.value);
    if (op.put.lease) w.uint32(tag(3, VARINT)).int64(op.put.lease);
    w.ldelim();
  } else {
    w.uint32(tag(3, LEN)).fork();
    w.uint32(tag(1, LEN)).string(op.deleteRange.key);
    w.ldelim();
  }
  w.ldelim();
}

// Compare.CompareTarget: Version 0, Create 1, Mod 2; the oneof member for Create is
// create_revision (5), for Mod mod_revision (6). CompareResult: Equal 0, NotEqual 3.
const COMPARE_TARGET = { Create: { target: 1, field: 5 }, Mod: { target: 2, field: 6 } } as const;

export function encodeRangeRequest(r: RangeRequest): Uint8Array {
  return writeRange(Writer.create(), r).finish();
}

export function encodeTxnRequest(t: TxnRequest): Uint8Array {
  const w = Writer.create();
  for (const c of t.compare) {
    const target = COMPARE_TARGET[c.target];
    w.uint32(tag(1, LEN)).fork();
    w.uint32(tag(1, VARINT)).int32(c.notEqual ? 3 : 0); // result
    w.uint32(tag(2, VARINT)).int32(target.target);
    w.uint32(tag(3, LEN)).string(c.key);
    w.uint32(tag(target.field, VARINT)).int64(c.equals);
    w.ldelim();
  }
  for (const op of t.success) {
    w.uint32(tag(2, LEN));
    writeOp(w, op);
  }
  for (const op of t.failure ?? []) {
    w.uint32(tag(3, LEN));
    writeOp(w, op);
  }
  return w.finish();
}

/** protobufjs hands 64-bit integers back as Long when the long package is present. */
function int64(r: Reader): number {
  const v = r.int64() as unknown as number | { toNumber(): number };
  return typeof v === "number" ? v : v.toNumber();
}

function readHeaderRevision(r: Reader, end: number): number {
  let revision = 0;
  while (r.pos < end) {
    const t = r.uint32();
    if (t >>> 3 === 3) revision = int64(r);
    else r.skipType(t & 7);
  }
  return revision;
}

function readKeyValue(r: Reader, end: number): KeyValue {
  const kv: KeyValue = { key: "", createRevision: 0, modRevision: 0, value: EMPTY };
  while (r.pos < end) {
    const t = r.uint32();
    switch (t >>> 3) {
      case 1:
        kv.key = r.string();
        break;
      case 2:
        kv.createRevision = int64(r);
        break;
      case 3:
        kv.modRevision = int64(r);
        break;
      case 5:
        kv.value = asBuffer(r.bytes());
        break;
      default:
        r.skipType(t & 7);
    }
  }
  return kv;
}

const EMPTY = Buffer.alloc(0);

/** A view on the same bytes (no copy): values are parsed at once and not kept. */
function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function readRange(r: Reader, end: number): RangeResponse {
  const out: RangeResponse = { revision: 0, kvs: [], more: false };
  while (r.pos < end) {
    const t = r.uint32();
    switch (t >>> 3) {
      case 1:
        out.revision = readHeaderRevision(r, r.uint32() + r.pos);
        break;
      case 2:
        out.kvs.push(readKeyValue(r, r.uint32() + r.pos));
        break;
      case 3:
        out.more = r.bool();
        break;
      default:
        r.skipType(t & 7);
    }
  }
  return out;
}

/** LeaseGrantRequest: TTL (1) in seconds; ID (2) left 0, so etcd picks it. */
export function encodeLeaseGrantRequest(ttlSeconds: number): Uint8Array {
  return Writer.create().uint32(tag(1, VARINT)).int64(ttlSeconds).finish();
}

/** LeaseGrantResponse: the lease ID (2) in decimal (64-bit); etcd's refusal (error, 4) throws. */
export function decodeLeaseGrantResponse(b: Uint8Array): string {
  const r = Reader.create(b);
  let id = "";
  let error = "";
  while (r.pos < r.len) {
    const t = r.uint32();
    if (t >>> 3 === 2) id = String(r.int64());
    else if (t >>> 3 === 4) error = r.string();
    else r.skipType(t & 7);
  }
  if (error || !id || id === "0") throw new Error(`etcd granted no lease: ${error || "no ID in the answer"}`);
  return id;
}

export function decodeRangeResponse(b: Uint8Array): RangeResponse {
  const r = Reader.create(b);
  return readRange(r, r.len);
}

export function decodeTxnResponse(b: Uint8Array): TxnResponse {
  const r = Reader.create(b);
  const out: TxnResponse = { revision: 0, succeeded: false, responses: [] };
  while (r.pos < r.len) {
    const t = r.uint32();
    switch (t >>> 3) {
      case 1:
        out.revision = readHeaderRevision(r, r.uint32() + r.pos);
        break;
      case 2:
        out.succeeded = r.bool();
        break;
      case 3: {
        const end = r.uint32() + r.pos;
        const op: ResponseOp = {};
        while (r.pos < end) {
          const ot = r.uint32();
          if (ot >>> 3 === 1) op.range = readRange(r, r.uint32() + r.pos);
          else r.skipType(ot & 7);
        }
        out.responses.push(op);
        break;
      }
      default:
        r.skipType(t & 7);
    }
  }
  return out;
}

export interface WatchCreateRequest {
  key: string;
  rangeEnd: string;
  /** First revision to send (inclusive). */
  startRevision: number;
}

export interface WatchEvent {
  type: "PUT" | "DELETE";
  kv: KeyValue;
}

export interface WatchResponse {
  revision: number;
  watchId: number;
  created: boolean;
  canceled: boolean;
  /** Set when the start revision was compacted away: the watch is cancelled. */
  compactRevision: number;
  cancelReason: string;
  events: WatchEvent[];
}

/** A WatchRequest holding a create_request (field 1); no prev_kv, no fragments, no progress notifies. */
export function encodeWatchCreateRequest(c: WatchCreateRequest): Uint8Array {
  const w = Writer.create();
  w.uint32(tag(1, LEN)).fork();
  w.uint32(tag(1, LEN)).string(c.key);
  w.uint32(tag(2, LEN)).string(c.rangeEnd);
  if (c.startRevision) w.uint32(tag(3, VARINT)).int64(c.startRevision);
  w.ldelim();
  return w.finish();
}

/**
 * A WatchRequest holding a progress_request (field 3, an empty message). etcd (3.4+) answers on the
 * same stream with a WatchResponse that carries only its current revision (watch id -1): a stream
 * that stays silent after this one is dead, not idle.
 */
export function encodeWatchProgressRequest(): Uint8Array {
  return Uint8Array.of(tag(3, LEN), 0);
}

export function decodeWatchResponse(b: Uint8Array): WatchResponse {
  const r = Reader.create(b);
  const out: WatchResponse = {
    revision: 0,
    watchId: 0,
    created: false,
    canceled: false,
    compactRevision: 0,
    cancelReason: "",
    events: [],
  };
  while (r.pos < r.len) {
    const t = r.uint32();
    switch (t >>> 3) {
      case 1:
        out.revision = readHeaderRevision(r, r.uint32() + r.pos);
        break;
      case 2:
        out.watchId = int64(r);
        break;
      case 3:
        out.created = r.bool();
        break;
      case 4:
        out.canceled = r.bool();
        break;
      case 5:
        out.compactRevision = int64(r);
        break;
      case 6:
        out.cancelReason = r.string();
        break;
      case 11:
        out.events.push(readEvent(r, r.uint32() + r.pos));
        break;
      default:
        r.skipType(t & 7);
    }
  }
  return out;
}

// mvccpb.Event: type (PUT 0, DELETE 1), kv, prev_kv (never asked for).
function readEvent(r: Reader, end: number): WatchEvent {
  const ev: WatchEvent = { type: "PUT", kv: { key: "", createRevision: 0, modRevision: 0, value: EMPTY } };
  while (r.pos < end) {
    const t = r.uint32();
    switch (t >>> 3) {
      case 1:
        ev.type = r.int32() === 1 ? "DELETE" : "PUT";
        break;
      case 2:
        ev.kv = readKeyValue(r, r.uint32() + r.pos);
        break;
      default:
        r.skipType(t & 7);
    }
  }
  return ev;
}
