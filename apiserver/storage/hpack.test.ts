// HPACK decoding against RFC 7541 Appendix C: each example's bytes, the header list it decodes
// to, and the dynamic table after it (entries newest first, and the table's size).

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { encodeHeaders, HpackDecoder, HpackError, readInt, writeInt } from "./hpack.js";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
type Step = { bytes: string; headers: Array<[string, string]>; table: Array<[string, string]>; size: number };

function run(decoder: HpackDecoder, steps: Step[]): void {
  steps.forEach((step, i) => {
    assert.deepEqual(decoder.decode(hex(step.bytes)), step.headers, `block ${i + 1}`);
    const t = decoder.table();
    assert.deepEqual(t.entries, step.table, `table after block ${i + 1}`);
    assert.equal(t.size, step.size, `table size after block ${i + 1}`);
  });
}

describe("RFC 7541 Appendix C", () => {
  test("C.1 integers: 10 with a 5-bit prefix, 1337 with a 5-bit prefix, 42 at an octet boundary", () => {
    for (const [value, prefix, bytes] of [
      [10, 5, [0x0a]],
      [1337, 5, [0x1f, 0x9a, 0x0a]],
      [42, 8, [0x2a]],
    ] as Array<[number, number, number[]]>) {
      const out: number[] = [];
      writeInt(out, 0, prefix, value);
      assert.deepEqual(out, bytes);
      assert.equal(readInt(Uint8Array.from(bytes), { pos: 0 }, prefix), value);
    }
  });

  test("C.2 header field representations", () => {
    const d = new HpackDecoder();
    run(d, [
      {
        bytes: "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
        headers: [["custom-key", "custom-header"]],
        table: [["custom-key", "custom-header"]],
        size: 55,
      },
    ]);
    const e = new HpackDecoder();
    run(e, [
      {
        bytes: "040c 2f73 616d 706c 652f 7061 7468",
        headers: [[":path", "/sample/path"]],
        table: [],
        size: 0,
      },
      {
        bytes: "1008 7061 7373 776f 7264 0673 6563 7265 74",
        headers: [["password", "secret"]],
        table: [],
        size: 0,
      },
      { bytes: "82", headers: [[":method", "GET"]], table: [], size: 0 },
    ]);
  });

  const requests = (first: string, second: string, third: string): Step[] => [
    {
      bytes: first,
      headers: [
        [":method", "GET"],
        [":scheme", "http"],
        [":path", "/"],
        [":authority", "www.example.com"],
      ],
      table: [[":authority", "www.example.com"]],
      size: 57,
    },
    {
      bytes: second,
      headers: [
        [":method", "GET"],
        [":scheme", "http"],
        [":path", "/"],
        [":authority", "www.example.com"],
        ["cache-control", "no-cache"],
      ],
      table: [
        ["cache-control", "no-cache"],
        [":authority", "www.example.com"],
      ],
      size: 110,
    },
    {
      bytes: third,
      headers: [
        [":method", "GET"],
        [":scheme", "https"],
        [":path", "/index.html"],
        [":authority", "www.example.com"],
        ["custom-key", "custom-value"],
      ],
      table: [
        ["custom-key", "custom-value"],
        ["cache-control", "no-cache"],
        [":authority", "www.example.com"],
      ],
      size: 164,
    },
  ];

  test("C.3 requests without Huffman coding", () => {
    run(
      new HpackDecoder(),
      requests(
        "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
        "8286 84be 5808 6e6f 2d63 6163 6865",
        "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
      ),
    );
  });

  test("C.4 requests with Huffman coding", () => {
    run(
      new HpackDecoder(),
      requests(
        "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
        "8286 84be 5886 a8eb 1064 9cbf",
        "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
      ),
    );
  });

  const date1 = "Mon, 21 Oct 2013 20:13:21 GMT";
  const date2 = "Mon, 21 Oct 2013 20:13:22 GMT";
  const location = "https://www.example.com";
  const cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
  // A 256-octet table: the responses evict entries.
  const responses = (first: string, second: string, third: string): Step[] => [
    {
      bytes: first,
      headers: [
        [":status", "302"],
        ["cache-control", "private"],
        ["date", date1],
        ["location", location],
      ],
      table: [
        ["location", location],
        ["date", date1],
        ["cache-control", "private"],
        [":status", "302"],
      ],
      size: 222,
    },
    {
      bytes: second,
      headers: [
        [":status", "307"],
        ["cache-control", "private"],
        ["date", date1],
        ["location", location],
      ],
      table: [
        [":status", "307"],
        ["location", location],
        ["date", date1],
        ["cache-control", "private"],
      ],
      size: 222,
    },
    {
      bytes: third,
      headers: [
        [":status", "200"],
        ["cache-control", "private"],
        ["date", date2],
        ["location", location],
        ["content-encoding", "gzip"],
        ["set-cookie", cookie],
      ],
      table: [
        ["set-cookie", cookie],
        ["content-encoding", "gzip"],
        ["date", date2],
      ],
      size: 215,
    },
  ];

  test("C.5 responses without Huffman coding, with eviction", () => {
    run(
      new HpackDecoder(256),
      responses(
        `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a
         3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d`,
        "4803 3330 37c1 c0bf",
        `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04
         677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49
         553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31`,
      ),
    );
  });

  test("C.6 responses with Huffman coding, with eviction", () => {
    run(
      new HpackDecoder(256),
      responses(
        `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e
         919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3`,
        "4883 640e ffc1 c0bf",
        `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7
         821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed
         4ee5 b106 3d50 07`,
      ),
    );
  });
});

describe("dynamic table size updates", () => {
  test("a smaller size evicts at once, and entries then fit the new size", () => {
    const d = new HpackDecoder();
    d.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572")); // 55 octets
    d.decode(hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")); // + 57
    assert.equal(d.table().size, 112);
    // Size update to 60 (001 11111, 60 - 31 = 29): only the newest entry is kept.
    assert.deepEqual(d.decode(hex("3f1d 82")), [[":method", "GET"]]);
    assert.deepEqual(d.table().entries, [[":authority", "www.example.com"]]);
    // Size 0 empties the table; an entry larger than the table is not added (§4.4).
    d.decode(hex("20"));
    assert.equal(d.table().size, 0);
    assert.deepEqual(d.decode(hex("4003 6b65 7901 76")), [["key", "v"]]);
    assert.deepEqual(d.table().entries, []);
  });

  test("an update above our SETTINGS_HEADER_TABLE_SIZE, or after a field, is a compression error", () => {
    const d = new HpackDecoder(4096);
    // 4097 = 31 + 4066 (0xe2 0x1f).
    assert.throws(() => d.decode(hex("3fe21f")), HpackError);
    assert.throws(() => d.decode(hex("82 20")), HpackError);
  });

  test("an index beyond both tables, index 0, and truncated strings are compression errors", () => {
    const d = new HpackDecoder();
    assert.throws(() => d.decode(hex("be")), /beyond/);
    assert.throws(() => d.decode(hex("80")), /index 0/);
    assert.throws(() => d.decode(hex("4005 6b65")), /truncated/);
  });
});

test("our request blocks decode back to the fields, touching no table", () => {
  const fields: Array<[string, string]> = [
    [":method", "POST"],
    [":scheme", "http"],
    [":path", "/etcdserverpb.KV/Range"],
    [":authority", "127.0.0.1:2379"],
    ["content-type", "application/grpc"],
    ["te", "trailers"],
  ];
  const d = new HpackDecoder();
  assert.deepEqual(d.decode(encodeHeaders(fields)), fields);
  assert.equal(d.table().size, 0);
});
