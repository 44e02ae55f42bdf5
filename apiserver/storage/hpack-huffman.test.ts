import assert from "node:assert/strict";
import { test } from "node:test";
import { huffmanCode, huffmanDecode, huffmanEncode } from "./hpack-huffman.js";

test("the codes built from the lengths are Appendix B's", () => {
  // [symbol, code as hex, length] as RFC 7541 Appendix B lists them.
  const listed: Array<[number, number, number]> = [
    [0, 0x1ff8, 13],
    [1, 0x7fffd8, 23],
    [10, 0x3ffffffc, 30],
    [32, 0x14, 6],
    [48, 0x0, 5],
    [97, 0x3, 5],
    [127, 0xffffffc, 28],
    [128, 0xfffe6, 20],
    [200, 0x3ffffe2, 26],
    [255, 0x3ffffee, 26],
    [256, 0x3fffffff, 30],
  ];
  for (const [sym, code, bits] of listed) assert.deepEqual(huffmanCode(sym), { code, bits }, `symbol ${sym}`);
  // A complete prefix code: the lengths fill the code space exactly (Kraft sum 1).
  let kraft = 0;
  for (let sym = 0; sym <= 256; sym++) kraft += 2 ** -huffmanCode(sym).bits;
  assert.equal(kraft, 1);
});

test("every byte value survives encoding and decoding", () => {
  let all = "";
  for (let b = 0; b < 256; b++) all += String.fromCharCode(b);
  assert.equal(huffmanDecode(huffmanEncode(all)), all);
  assert.equal(huffmanDecode(huffmanEncode("application/grpc")), "application/grpc");
  assert.equal(huffmanDecode(new Uint8Array(0)), "");
});

test("decoding errors of §5.2: EOS in the data, long padding, padding not of ones", () => {
  // 30 ones then two more: EOS decoded as a symbol.
  assert.throws(() => huffmanDecode(Uint8Array.of(0xff, 0xff, 0xff, 0xff)), /EOS/);
  // 'a' (00011) then 8 bits of ones padding: longer than 7 bits.
  assert.throws(() => huffmanDecode(Uint8Array.of(0x1f, 0xff)), /padding longer/);
  // 'a' (00011) then 000 padding: not EOS's prefix.
  assert.throws(() => huffmanDecode(Uint8Array.of(0x18)), /padding is not/);
});
