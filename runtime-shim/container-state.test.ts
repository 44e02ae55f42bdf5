import assert from "node:assert/strict";
import { test } from "node:test";
import { type ContainerEvent, nextState } from "./container-state.js";
import { ShimError } from "./errors.js";
import type { ContainerPhase } from "./store.js";

test("container lifecycle moves: legal ones give the next state, illegal ones a plain-sentence FAILED_PRECONDITION", () => {
  const cases: [ContainerPhase, ContainerEvent, ContainerPhase | RegExp][] = [
    ["created", "start", "running"],
    ["created", "start-failed", "exited"],
    ["running", "exit", "exited"],
    ["running", "start", /container c1 is running: only a created container can be started/],
    ["exited", "start", /container c1 is exited: only a created container can be started/],
    ["created", "exit", /container c1 is created: only a running container can exit/],
    ["exited", "exit", /only a running container can exit/],
    ["running", "start-failed", /only a created container can fail to start/],
  ];
  for (const [state, event, want] of cases) {
    if (typeof want === "string") {
      assert.equal(nextState({ id: "c1", state }, event), want, `${state} --${event}-->`);
    } else {
      assert.throws(
        () => nextState({ id: "c1", state }, event),
        (e: unknown) => e instanceof ShimError && e.kind === "FailedPrecondition" && want.test(e.message),
        `${state} --${event}--> must be refused`,
      );
    }
  }
});
