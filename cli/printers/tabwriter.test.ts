import assert from "node:assert/strict";
import { test } from "node:test";
import { humanDuration } from "./age.js";
import { tabwrite } from "./tabwriter.js";

test("tabwrite aligns column blocks as Go's tabwriter: runs of consecutive lines with a cell in the column (Events joins the block above it, as in kubectl)", () => {
  const text =
    "Name:\tweb\nNamespace:\tdefault\nContainers:\n  c:\n    Image:\tbusybox\n    Port:\t<none>\nEvents:\t<none>\n";
  assert.equal(
    tabwrite(text, { minWidth: 0, padding: 2 }),
    "Name:       web\nNamespace:  default\nContainers:\n  c:\n    Image:  busybox\n    Port:   <none>\nEvents:     <none>\n",
  );
  // A nested block inside a longer one: the second column only spans the lines that have it.
  assert.equal(
    tabwrite("a\tb\tc\naa\tb\nx\ty\tzz\tw\n", { minWidth: 0, padding: 1 }),
    "a  b c\naa b\nx  y zz w\n",
  );
});

test("humanDuration prints ages as kubectl does", () => {
  const cases: [number, string][] = [
    [-5000, "<invalid>"],
    [0, "0s"],
    [119_000, "119s"],
    [125_000, "2m5s"],
    [600_000, "10m"],
    [3 * 3600_000 + 5 * 60_000, "3h5m"],
    [30 * 3600_000, "30h"],
    [3 * 86400_000 + 2 * 3600_000, "3d2h"],
    [400 * 86400_000, "400d"],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, String(ms));
});
