// HPACK (RFC 7541), the header compression of HTTP/2, for h2-connection.ts.
//
// Requests: the client's header block for a gRPC call is the same for every call to one path,
// so it is built once per path, as literals without indexing (§6.2.2) and indexed static entries:
// the server's decoder keeps no state for them, and ours never needs an encoder table.
// Replies: the server may use everything HPACK has (its dynamic table, size updates, Huffman), so
// the decoder is complete. One decoder per connection: its dynamic table spans all the header
// blocks of the connection, so every block must be decoded in order, even of a cancelled stream.

import { huffmanDecode } from "./hpack-huffman.js";

/** The static table (Appendix A); index 1 is the first entry. */
const STATIC: ReadonlyArray<readonly [string, string]> = [
  ["", ""],
  [":authority", ""],
  [":method", "GET"],
  [":method", "POST"],
  [":path", "/"],
  [":path", "/index.html"],
  [":scheme", "http"],
  [":scheme", "https"],
  [":status", "200"],
  [":status", "204"],
  [":status", "206"],
  [":status", "304"],
  [":status", "400"],
  [":status", "404"],
  [":status", "500"],
  ["accept-charset", ""],
  ["accept-encoding", "gzip, deflate"],
  ["accept-language", ""],
  ["accept-ranges", ""],
  ["accept", ""],
  ["access-control-allow-origin", ""],
  ["age", ""],
  ["allow", ""],
  ["authorization", ""],
  ["cache-control", ""],
  ["content-disposition", ""],
  ["content-encoding", ""],
  ["content-language", ""],
  ["content-length", ""],
  ["content-location", ""],
  ["content-range", ""],
  ["content-type", ""],
  ["cookie", ""],
  ["date", ""],
  ["etag", ""],
  ["expect", ""],
  ["expires", ""],
  ["from", ""],
  ["host", ""],
  ["if-match", ""],
  ["if-modified-since", ""],
  ["if-none-match", ""],
  ["if-range", ""],
  ["if-unmodified-since", ""],
  ["last-modified", ""],
  ["link", ""],
  ["location", ""],
  ["max-forwards", ""],
  ["proxy-authenticate", ""],
  ["proxy-authorization", ""],
  ["range", ""],
  ["referer", ""],
  ["refresh", ""],
  ["retry-after", ""],
  ["server", ""],
  ["set-cookie", ""],
  ["strict-transport-security", ""],
  ["transfer-encoding", ""],
  ["user-agent", ""],
  ["vary", ""],
  ["via", ""],
  ["www-authenticate", ""],
];
const STATIC_COUNT = STATIC.length - 1;

/** Decoded fields in order, as [name, value] pairs (values as latin1: HTTP field values are octets). */
export type HeaderList = Array<[string, string]>;

export class HpackError extends Error {}

/** An entry's size in the table's accounting (§4.1): its octets plus 32. */
const entrySize = (name: string, value: string) => name.length + value.length + 32;

/** The receiving side of one connection's header compression (§2.3, §3). */
export class HpackDecoder {
  /** Newest first: dynamic index 1 (overall STATIC_COUNT + 1) is entries[0]. */
  private readonly entries: Array<[string, string]> = [];
  private size = 0;
  private maxSize: number;

  /** `limit`: our SETTINGS_HEADER_TABLE_SIZE, the most the peer may make the table (4096 by default). */
  constructor(private readonly limit = 4096) {
    this.maxSize = limit;
  }

  /** The dynamic table, newest first, and its size (for tests). */
  table(): { entries: ReadonlyArray<readonly [string, string]>; size: number } {
    return { entries: this.entries, size: this.size };
  }

  /** Decodes one complete header block; throws HpackError (a connection error: COMPRESSION_ERROR). */
  decode(block: Uint8Array): HeaderList {
    const out: HeaderList = [];
    const r = { pos: 0 };
    let fieldSeen = false;
    while (r.pos < block.length) {
      const b = block[r.pos]!;
      if (b & 0x80) {
        // Indexed field (§6.1).
        const index = readInt(block, r, 7);
        if (index === 0) throw new HpackError("HPACK: index 0");
        out.push(this.entry(index));
        fieldSeen = true;
      } else if (b & 0x40) {
        // Literal with incremental indexing (§6.2.1).
        const field = this.literal(block, r, 6);
        out.push(field);
        this.add(field[0], field[1]);
        fieldSeen = true;
      } else if (b & 0x20) {
        // Dynamic table size update (§6.3): only at the start of a block (§4.2).
        if (fieldSeen) throw new HpackError("HPACK: table size update after a field");
        const size = readInt(block, r, 5);
        if (size > this.limit) throw new HpackError(`HPACK: table size ${size} above ${this.limit}`);
        this.maxSize = size;
        this.evict(0);
      } else {
        // Literal without indexing (0000) or never indexed (0001) (§6.2.2, §6.2.3).
        out.push(this.literal(block, r, 4));
        fieldSeen = true;
      }
    }
    return out;
  }

  private entry(index: number): [string, string] {
    if (index <= STATIC_COUNT) return STATIC[index] as [string, string];
    const e = this.entries[index - STATIC_COUNT - 1];
    if (!e) throw new HpackError(`HPACK: index ${index} beyond the tables`);
    return e;
  }

  /** A literal field: its name is an index (nonzero) or a string, its value a string. */
  private literal(block: Uint8Array, r: { pos: number }, prefix: number): [string, string] {
    const index = readInt(block, r, prefix);
    const name = index === 0 ? readString(block, r) : this.entry(index)[0];
    return [name, readString(block, r)];
  }

  private add(name: string, value: string): void {
    const size = entrySize(name, value);
    this.evict(size);
    // An entry larger than the table empties it and is not added (§4.4).
    if (size > this.maxSize) return;
    this.entries.unshift([name, value]);
    this.size += size;
  }

  /** Evicts the oldest entries until `room` more octets fit (§4.3, §4.4). */
  private evict(room: number): void {
    while (this.entries.length > 0 && this.size + room > this.maxSize) {
      const [name, value] = this.entries.pop()!;
      this.size -= entrySize(name, value);
    }
  }
}

/** An integer with an N-bit prefix (§5.1), from r.pos; advances r.pos. */
export function readInt(block: Uint8Array, r: { pos: number }, prefix: number): number {
  const max = (1 << prefix) - 1;
  let value = block[r.pos++]! & max;
  if (value < max) return value;
  let shift = 0;
  for (;;) {
    if (r.pos >= block.length) throw new HpackError("HPACK: truncated integer");
    const b = block[r.pos++]!;
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return value;
    // Nothing here is near 2^32: more continuation bytes is an attack or corruption.
    if (shift > 28) throw new HpackError("HPACK: integer too large");
  }
}

/** A string literal (§5.2): Huffman flag, length with a 7-bit prefix, octets. */
function readString(block: Uint8Array, r: { pos: number }): string {
  if (r.pos >= block.length) throw new HpackError("HPACK: truncated string");
  const huffman = (block[r.pos]! & 0x80) !== 0;
  const len = readInt(block, r, 7);
  const end = r.pos + len;
  if (end > block.length) throw new HpackError("HPACK: truncated string");
  const bytes = block.subarray(r.pos, end);
  r.pos = end;
  if (!huffman) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1");
  try {
    return huffmanDecode(bytes);
  } catch (err) {
    throw new HpackError((err as Error).message);
  }
}

/** Appends an integer with an N-bit prefix whose high bits are `flags` (§5.1). */
export function writeInt(out: number[], flags: number, prefix: number, value: number): void {
  const max = (1 << prefix) - 1;
  if (value < max) {
    out.push(flags | value);
    return;
  }
  out.push(flags | max);
  let rest = value - max;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}

/**
 * A header block of `fields` encoded without touching either table: a field equal to a static
 * entry is that entry's index (§6.1), any other a literal without indexing (§6.2.2), naming a
 * static entry's name where there is one; strings are not Huffman-coded.
 */
export function encodeHeaders(fields: ReadonlyArray<readonly [string, string]>): Buffer {
  const out: number[] = [];
  for (const [name, value] of fields) {
    let nameIndex = 0;
    let fullIndex = 0;
    for (let i = 1; i <= STATIC_COUNT; i++) {
      const [n, v] = STATIC[i]!;
      if (n !== name) continue;
      if (nameIndex === 0) nameIndex = i;
      if (v === value) {
        fullIndex = i;
        break;
      }
    }
    if (fullIndex) {
      writeInt(out, 0x80, 7, fullIndex);
      continue;
    }
    writeInt(out, 0x00, 4, nameIndex);
    if (nameIndex === 0) writeString(out, name);
    writeString(out, value);
  }
  return Buffer.from(out);
}

function writeString(out: number[], s: string): void {
  const bytes = Buffer.from(s, "latin1");
  writeInt(out, 0x00, 7, bytes.length);
  for (const b of bytes) out.push(b);
}
