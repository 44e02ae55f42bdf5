// The outcome of one plugin call, after the kube-scheduler framework's Status: expected outcomes
// (a node does not fit, a plugin has nothing to do for this pod) are values, not exceptions.
//
//   Success                       the pod may go on (or: passed this node)
//   Unschedulable                 does not fit now; may fit after the cluster changes (a pod leaves)
//   UnschedulableAndUnresolvable  does not fit, and preemption/pod changes elsewhere would not help
//   Skip                          PreFilter/PreScore: this plugin has nothing to check for this pod
//   Error                         a bug or a transient failure: the attempt is retried with backoff

export type Code = "Success" | "Unschedulable" | "UnschedulableAndUnresolvable" | "Skip" | "Error";

export class Status {
  /** Shared: returning it allocates nothing, which matters at 1,000 nodes per decision. */
  static readonly success = new Status("Success", []);
  static readonly skip = new Status("Skip", []);

  private constructor(
    readonly code: Code,
    /** Human-readable, Kubernetes' wording ("Insufficient cpu"); counted in FailedScheduling messages. */
    readonly reasons: readonly string[],
  ) {}

  static unschedulable(...reasons: string[]): Status {
    return new Status("Unschedulable", reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status("UnschedulableAndUnresolvable", reasons);
  }

  static error(reason: string): Status {
    return new Status("Error", [reason]);
  }

  isSuccess(): boolean {
    return this.code === "Success";
  }

  isRejected(): boolean {
    return this.code === "Unschedulable" || this.code === "UnschedulableAndUnresolvable";
  }

  message(): string {
    return this.reasons.join(", ");
  }
}
