// A container's lifecycle as an explicit state machine (CRI: CREATED -> RUNNING -> EXITED; a start
// that fails leaves it EXITED). Removal is allowed from any state once the process is gone, so it is
// not a transition here. Illegal moves are FAILED_PRECONDITION with a sentence a person can act on.

import { failedPrecondition } from "./errors.js";
import type { ContainerPhase, ContainerRecord } from "./store.js";

export type ContainerEvent = "start" | "start-failed" | "exit";

const moves: Record<ContainerEvent, { from: ContainerPhase; to: ContainerPhase; why: string }> = {
  start: { from: "created", to: "running", why: "only a created container can be started" },
  "start-failed": { from: "created", to: "exited", why: "only a created container can fail to start" },
  exit: { from: "running", to: "exited", why: "only a running container can exit" },
};

/** The state after `event`, or a FAILED_PRECONDITION error naming the container and its state. */
export function nextState(ctr: Pick<ContainerRecord, "id" | "state">, event: ContainerEvent): ContainerPhase {
  const move = moves[event];
  if (ctr.state !== move.from)
    throw failedPrecondition(
      `container ${ctr.id} is ${ctr.state}: ${move.why} (a new attempt needs a new container)`,
    );
  return move.to;
}
