// The Node.js/V8 flags `k8ts up` starts its components with. Node's defaults suit one server that
// owns the machine: a young generation that grows to 16 MiB per semi-space and stays there, heap
// growth tuned for speed, four V8 worker threads. A local cluster is ten small Node.js processes
// sharing a laptop, each holding 10-30 MiB of live objects, so (docs/footprint.md has the figures):
//
//   --max-semi-space-size=1  the young generation stays at 1 MiB per semi-space. Saves most in the
//                            API server, which otherwise grows it to 16 MiB; its create throughput
//                            did not measurably change.
//   --v8-pool-size=1         one V8 worker thread (background compilation and GC) instead of four.
//   --optimize-for-size      V8 prefers memory over speed (the heap grows later, shrinks sooner).
//                            Not for the API server: it cost it a fifth to a third of its create
//                            throughput in bench/apiserver, for 4 MiB.
//
// No heap cap (--max-old-space-size): for a component that needs more, a cap is a crash, not a
// smaller process.

export type Component = "apiserver" | "scheduler" | "controllers" | "runtime-shim" | "nodeagent";

const SMALL_YOUNG_GENERATION = ["--max-semi-space-size=1", "--v8-pool-size=1"];

export function nodeFlags(component: Component): readonly string[] {
  return component === "apiserver"
    ? SMALL_YOUNG_GENERATION
    : [...SMALL_YOUNG_GENERATION, "--optimize-for-size"];
}

/** For a process hosting several components: the flags every one of them runs with alone. */
export function sharedNodeFlags(perComponent: (readonly string[])[]): readonly string[] {
  const [first = [], ...rest] = perComponent;
  return first.filter((f) => rest.every((flags) => flags.includes(f)));
}
