import assert from "node:assert/strict";
import { test } from "node:test";
import { cpuMillis, memoryBytes, Quantity, QuantityError } from "./quantity.js";

// Cases from k8s.io/apimachinery/pkg/api/resource/quantity_test.go (TestQuantityParse,
// TestQuantityParseEmit, TestQuantityString): input, exact value in nano-units, canonical string.
const parsed: [input: string, nanos: bigint, canonical: string][] = [
  ["0", 0n, "0"],
  ["0Mi", 0n, "0"],
  ["1", 1_000_000_000n, "1"],
  ["1Ki", 1024n * 10n ** 9n, "1Ki"],
  ["7Mi", 7n * 1024n ** 2n * 10n ** 9n, "7Mi"],
  ["3Ei", 3n * 1024n ** 6n * 10n ** 9n, "3Ei"],
  ["1024Mi", 1024n ** 3n * 10n ** 9n, "1Gi"],
  ["1000Mi", 1000n * 1024n ** 2n * 10n ** 9n, "1000Mi"],
  ["128Mi", 128n * 1024n ** 2n * 10n ** 9n, "128Mi"],
  ["2Ki", 2048n * 10n ** 9n, "2Ki"],
  ["1.5Ki", 1536n * 10n ** 9n, "1536"],
  ["5n", 5n, "5n"],
  ["4u", 4000n, "4u"],
  ["3m", 3_000_000n, "3m"],
  ["250m", 250_000_000n, "250m"],
  ["1500m", 1_500_000_000n, "1500m"],
  ["1.5", 1_500_000_000n, "1500m"],
  ["0.1", 100_000_000n, "100m"],
  ["8k", 8000n * 10n ** 9n, "8k"],
  ["50k", 50_000n * 10n ** 9n, "50k"],
  ["1000M", 10n ** 18n, "1G"],
  ["1G", 10n ** 18n, "1G"],
  ["1E", 10n ** 27n, "1E"],
  ["1e3", 10n ** 12n, "1e3"],
  ["1E-3", 1_000_000n, "1e-3"],
  ["1.2e3", 1200n * 10n ** 9n, "1200"],
  ["1.3E+6", 1_300_000n * 10n ** 9n, "1300e3"],
  ["100.035k", 100_035n * 10n ** 9n, "100035"],
  ["0.0005k", 500_000_000n, "500m"],
  ["10.035M", 10_035_000n * 10n ** 9n, "10035k"],
  ["3.001n", 4n, "4n"],
  ["1.1E-9", 2n, "2e-9"],
  ["0.0000000001", 1n, "1n"],
  ["0.00000012345", 124n, "124n"],
  ["100.035Ki", 102_435_840_000_000n, "102435840m"],
  [".001Ki", 1_024_000_000n, "1024m"],
  [".000000001Ki", 1024n, "1024n"],
  [".000000000001Ki", 2n, "2n"],
  [".001", 1_000_000n, "1m"],
  ["1.", 1_000_000_000n, "1"],
  ["1.G", 10n ** 18n, "1G"],
  [".", 0n, "0"],
  ["-1.5Gi", -(1536n * 1024n ** 2n * 10n ** 9n), "-1536Mi"],
  ["+250m", 250_000_000n, "250m"],
  ["-100m", -100_000_000n, "-100m"],
  ["9Ei", (2n ** 63n - 1n) * 10n ** 9n, "9223372036854775807"],
];

test("Quantity.parse gives the exact value and Kubernetes' canonical string", () => {
  for (const [input, nanos, canonical] of parsed) {
    const q = Quantity.parse(input);
    assert.equal(q.nanos, nanos, `value of ${input}`);
    assert.equal(q.toString(), canonical, `canonical form of ${input}`);
    assert.equal(Quantity.parse(canonical).cmp(q), 0, `${canonical} reparses to the same value`);
  }
});

test("Quantity.parse rejects malformed input with Kubernetes' messages", () => {
  const formatError =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  const suffixError = "unable to parse quantity's suffix";
  const cases: [string, string][] = [
    ["", formatError],
    ["1.1.M", formatError],
    ["1+1.0M", formatError],
    ["aoeu", formatError],
    [" 1", formatError],
    ["1 ", formatError],
    ["0.1mi", suffixError],
    ["0.1am", formatError],
    [".5i", suffixError],
    ["1i", suffixError],
    ["-3.01e-", suffixError],
    ["1e4294967297", suffixError],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => Quantity.parse(input),
      (e: unknown) => e instanceof QuantityError && e.message === message,
      `parse(${JSON.stringify(input)})`,
    );
    assert.equal(Quantity.tryParse(input), undefined);
  }
});

test("JSON numbers parse like their decimal text", () => {
  assert.equal(Quantity.parse(2).toString(), "2");
  assert.equal(Quantity.parse(0.5).toString(), "500m");
  assert.equal(Quantity.parse(1e21).toString(), "9223372036854775807");
});

test("milliValue and value round away from zero, as MilliValue/Value do", () => {
  const cases: [string, bigint, bigint][] = [
    ["250m", 250n, 1n],
    ["1.5", 1500n, 2n],
    ["2", 2000n, 2n],
    ["1n", 1n, 1n],
    ["-1.5", -1500n, -2n],
    ["128Mi", 134217728000n, 134217728n],
  ];
  for (const [input, milli, units] of cases) {
    const q = Quantity.parse(input);
    assert.equal(q.milliValue(), milli, `milliValue(${input})`);
    assert.equal(q.value(), units, `value(${input})`);
  }
});

test("cmp orders across suffix families", () => {
  const cases: [string, string, -1 | 0 | 1][] = [
    ["0", "0", 0],
    ["100m", "50m", 1],
    ["50m", "100m", -1],
    ["10000T", "100Gi", 1],
    ["1Gi", "1024Mi", 0],
    ["1G", "1Gi", -1],
  ];
  for (const [a, b, want] of cases)
    assert.equal(Quantity.parse(a).cmp(Quantity.parse(b)), want, `${a} vs ${b}`);
});

test("add keeps the receiver's format, or the other's when the receiver is zero", () => {
  const zero = Quantity.parse("0");
  for (const v of ["100m", "1Gi"]) {
    assert.equal(Quantity.parse(v).add(zero).toString(), v);
    assert.equal(zero.add(Quantity.parse(v)).toString(), v);
  }
  assert.equal(Quantity.parse("1Gi").add(Quantity.parse("512Mi")).toString(), "1536Mi");
  assert.equal(Quantity.parse("250m").add(Quantity.parse("1")).toString(), "1250m");
  assert.equal(Quantity.parse("1Ei").sub(Quantity.parse("1Ei")).toString(), "0");
});

test("cpuMillis and memoryBytes give plain numbers for schedulers", () => {
  assert.equal(cpuMillis("250m"), 250);
  assert.equal(cpuMillis(2), 2000);
  assert.equal(cpuMillis(undefined), 0);
  assert.equal(memoryBytes("128Mi"), 134217728);
  assert.equal(memoryBytes("1G"), 1e9);
  assert.equal(memoryBytes(undefined), 0);
  assert.throws(() => cpuMillis("lots"), QuantityError);
});
