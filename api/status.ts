// metav1.Status values, built in one place for every component: the Failure a server answers
// with (apiserver, node agent), and the final Status of a remote command, which exec and attach
// send on their error channel (3) — Success, or NonZeroExitCode with the code as an ExitCode
// cause, as Kubernetes' remotecommand does.

import type { Status, StatusReason } from "./meta.js";

/** A Failure Status with its HTTP code. */
export function statusObject(
  code: number,
  reason: StatusReason,
  message: string,
  details?: Status["details"],
): Status {
  const s: Status = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    code,
  };
  if (details) s.details = JSON.parse(JSON.stringify(details));
  return s;
}

/** What a remote command's error channel carries: no kind or version, as the kubelet sends it. */
export type RemoteCommandStatus = Pick<Status, "metadata" | "status" | "message" | "reason" | "details"> & {
  code?: number;
};

/** How a remote command ended: exit code 0 is Success, anything else NonZeroExitCode with the code. */
export function exitCodeStatus(exitCode: number): RemoteCommandStatus {
  if (exitCode === 0) return { metadata: {}, status: "Success" };
  return {
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: error executing command, exit code ${exitCode}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(exitCode) }] },
  };
}

/** A remote command that could not run at all (the runtime refused it, or it could not be started). */
export function remoteCommandFailure(message: string): RemoteCommandStatus {
  return { metadata: {}, status: "Failure", message, reason: "InternalError", code: 500 };
}
