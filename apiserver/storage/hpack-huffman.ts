// The Huffman code of HPACK (RFC 7541 §5.2, Appendix B), for the header strings an HTTP/2 peer
// chooses to compress (etcd's grpc-go sends Huffman-coded values, e.g. content-type).
//
// The code is canonical: sorted by (length, symbol), each code is the previous one plus one,
// shifted left when the length grows (Appendix B lists exactly such codes, e.g. '0' = 00000,
// '1' = 00001, EOS = 30 ones). So the table below holds only each symbol's code length, and the
// codes follow from it; hpack-huffman.test.ts checks codes against Appendix B's listing and that the
// code is complete.

/** Code length in bits of each symbol: bytes 0–255, then 256 = EOS (RFC 7541 Appendix B). */
// biome-ignore format: sixteen symbols a row, as Appendix B counts them
const LENGTHS = Uint8Array.of(
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, // 0–15
  28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, // 16–31
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, // 32–47
  5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, // 48–63
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, // 64–79
  7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, // 80–95
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, // 96–111
  6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, // 112–127
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, // 128–143
  24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, // 144–159
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, // 160–175
  21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, // 176–191
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, // 192–207
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, // 208–223
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, // 224–239
  26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, // 240–255
  30, // 256: EOS
);

const EOS = 256;
const MAX_BITS = 30;

/** Per length: how many codes, the first code, and where its symbols start in `BY_CODE`. */
const COUNT = new Uint16Array(MAX_BITS + 1);
const FIRST_CODE = new Uint32Array(MAX_BITS + 1);
const FIRST_INDEX = new Uint16Array(MAX_BITS + 1);
/** Symbols in code order: by length, then by symbol. */
const BY_CODE = new Uint16Array(LENGTHS.length);
/** Each symbol's code (right-aligned), for the encoder. */
const CODES = new Uint32Array(LENGTHS.length);

{
  for (const len of LENGTHS) COUNT[len]!++;
  let code = 0;
  let index = 0;
  for (let len = 1; len <= MAX_BITS; len++) {
    FIRST_CODE[len] = code;
    FIRST_INDEX[len] = index;
    code = (code + COUNT[len]!) * 2;
    index += COUNT[len]!;
  }
  const next = FIRST_INDEX.slice();
  for (let sym = 0; sym < LENGTHS.length; sym++) {
    const len = LENGTHS[sym]!;
    const i = next[len]!++;
    BY_CODE[i] = sym;
    CODES[sym] = FIRST_CODE[len]! + (i - FIRST_INDEX[len]!);
  }
}

/** A symbol's code and its length in bits (for tests against Appendix B). */
export function huffmanCode(sym: number): { code: number; bits: number } {
  return { code: CODES[sym]!, bits: LENGTHS[sym]! };
}

/**
 * Decodes `bytes` as latin1 text. Throws on EOS in the data, on padding longer than 7 bits and
 * on padding that is not the most significant bits of EOS (all ones): §5.2's decoding errors.
 */
export function huffmanDecode(bytes: Uint8Array): string {
  let out = "";
  let code = 0;
  let len = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    for (let bit = 7; bit >= 0; bit--) {
      code = code * 2 + ((byte >> bit) & 1);
      len++;
      const d = code - FIRST_CODE[len]!;
      if (d >= 0 && d < COUNT[len]!) {
        const sym = BY_CODE[FIRST_INDEX[len]! + d]!;
        if (sym === EOS) throw new Error("HPACK: EOS in a Huffman-coded string");
        out += String.fromCharCode(sym);
        code = 0;
        len = 0;
      } else if (len >= MAX_BITS) throw new Error("HPACK: invalid Huffman code");
    }
  }
  if (len > 7) throw new Error("HPACK: Huffman padding longer than 7 bits");
  if (code !== 2 ** len - 1) throw new Error("HPACK: Huffman padding is not EOS's prefix");
  return out;
}

/** Encodes latin1 text (each char a byte); padded with ones to a whole byte. */
export function huffmanEncode(text: string): Buffer {
  let bits = 0;
  for (let i = 0; i < text.length; i++) bits += LENGTHS[text.charCodeAt(i) & 0xff]!;
  const out = Buffer.alloc(Math.ceil(bits / 8));
  let pos = 0;
  const put = (code: number, len: number) => {
    for (let b = len - 1; b >= 0; b--, pos++) {
      if (Math.floor(code / 2 ** b) & 1) out[pos >> 3]! |= 0x80 >> (pos & 7);
    }
  };
  for (let i = 0; i < text.length; i++) {
    const sym = text.charCodeAt(i) & 0xff;
    put(CODES[sym]!, LENGTHS[sym]!);
  }
  if (pos & 7) put(0xff, 8 - (pos & 7));
  return out;
}
