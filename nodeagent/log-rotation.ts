// Container log rotation, after the kubelet's container log manager: a running container's log
// file that has grown past the maximum size is renamed to `<path>.<YYYYMMDD-hhmmss>` and the runtime
// is asked to reopen the log path (CRI ReopenContainerLog), and only the newest rotated files are
// kept, so the container's log files never hold more than `maxFiles` files, current one included.
// The kubelet also gzips older rotated files; k8ts keeps them as they are. `kubectl logs` reads the
// current file, as it does against a kubelet.
//
// This file decides (planRotation, a pure function of the files and the clock); rotateContainerLog
// does it on the disk and through the runtime.

import { readdirSync, renameSync, statSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export interface RotationLimits {
  /** A log larger than this is rotated (kubelet containerLogMaxSize, 10 MiB). */
  maxSizeBytes: number;
  /** The most files, current one included, a container's log keeps (kubelet containerLogMaxFiles, 5; at least 2). */
  maxFiles: number;
}

export const DEFAULT_ROTATION: RotationLimits = { maxSizeBytes: 10 * 1024 * 1024, maxFiles: 5 };

/** Why rotation could not keep to these limits, if it could not (the kubelet refuses the same). */
export function rotationLimitsProblem(l: RotationLimits): string | undefined {
  if (!(l.maxSizeBytes > 0)) return "container-log-max-size must be more than 0";
  if (!Number.isInteger(l.maxFiles) || l.maxFiles < 2)
    return "container-log-max-files must be at least 2 (the current file and one rotated)";
  return undefined;
}

export interface RotationPlan {
  /** Rename the current file to this and reopen it; absent: the file is small enough. */
  rotateTo?: string;
  /** Rotated files to delete, oldest first. */
  remove: string[];
}

const STAMP = /^\d{8}-\d{6}$/;

/** `20261126-094900`, the kubelet's suffix for a rotated file, in UTC. */
export function rotationStamp(now: Date): string {
  const iso = now.toISOString(); // 2026-11-26T09:49:00.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

/** The rotated files of `logPath` among the names in its directory, oldest first (full paths). */
export function rotatedFiles(logPath: string, names: string[]): string[] {
  const prefix = `${basename(logPath)}.`;
  return names
    .filter((n) => n.startsWith(prefix) && STAMP.test(n.slice(prefix.length)))
    .sort()
    .map((n) => join(dirname(logPath), n));
}

export function planRotation(
  logPath: string,
  size: number,
  rotated: string[],
  limits: RotationLimits,
  now: Date,
): RotationPlan {
  let rotateTo: string | undefined;
  if (size > limits.maxSizeBytes) {
    const target = `${logPath}.${rotationStamp(now)}`;
    // Rotated already this second: the next round does it, rather than overwrite that file.
    if (!rotated.includes(target)) rotateTo = target;
  }
  const keep = limits.maxFiles - 1 - (rotateTo ? 1 : 0);
  const remove = rotated.length > keep ? rotated.slice(0, rotated.length - keep) : [];
  return rotateTo ? { rotateTo, remove } : { remove };
}

/**
 * Rotates one running container's log if the plan says so: delete the oldest rotated files, rename,
 * ask the runtime to reopen (renamed back if it cannot: the container goes on writing to its one
 * file). Returns what it did, for the caller's log.
 */
export async function rotateContainerLog(
  logPath: string,
  limits: RotationLimits,
  reopen: () => Promise<unknown>,
  now: Date,
): Promise<{ rotatedTo?: string; removed: string[] }> {
  let size: number;
  try {
    size = statSync(logPath).size;
  } catch {
    return { removed: [] }; // no log file (yet): nothing to rotate
  }
  const plan = planRotation(logPath, size, rotatedFiles(logPath, readdirSync(dirname(logPath))), limits, now);
  // The oldest go first (as the kubelet orders it), so there are never more files than allowed.
  for (const f of plan.remove) unlinkSync(f);
  if (plan.rotateTo) {
    renameSync(logPath, plan.rotateTo);
    try {
      await reopen();
    } catch (err) {
      renameSync(plan.rotateTo, logPath);
      throw err;
    }
  }
  return { rotatedTo: plan.rotateTo, removed: plan.remove };
}
