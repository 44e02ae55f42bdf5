// The scheduler's decision record for one pod, printed for people learning how scheduling works:
// the outcome, how many nodes were looked at, which filter plugin rejected which nodes and why,
// and the score table of the best nodes, plugin by plugin, chosen node first and marked.

import type { Decision } from "../../scheduler/index.js";
import { formatColumns } from "../printers/columns.js";
import type { Style } from "../style.js";

export function formatDecision(d: Decision, style: Style): string {
  const out: string[] = [];
  const outcome =
    d.result === "Scheduled"
      ? style.green(`Scheduled on ${d.node}`)
      : style.red(d.result === "Unschedulable" ? "Unschedulable" : d.result);
  out.push(
    `${style.bold(`Pod ${d.pod}`)}: ${outcome} (attempt ${d.attempt}, ${d.time}, profile ${d.profile})`,
  );
  if (d.message && d.result !== "Scheduled") out.push(`Message: ${d.message}`);
  out.push(
    `Nodes: ${d.nodes.total} in the cluster, ${d.nodes.evaluated} evaluated, ${d.nodes.feasible} feasible`,
  );
  out.push("");
  if (d.filtered.length === 0) {
    out.push("Filtered out: none");
  } else {
    out.push("Filtered out:");
    const rows = d.filtered.map((f) => {
      const more = f.count > f.nodes.length ? `, +${f.count - f.nodes.length} more` : "";
      return [f.plugin, String(f.count), f.reason, `${f.nodes.join(", ")}${more}`];
    });
    out.push(indent(formatColumns([["PLUGIN", "NODES", "REASON", "WHICH"], ...rows])));
  }
  out.push("");
  if (d.scores.length === 0) {
    out.push("Scores: none (no feasible node)");
  } else {
    const plugins = [...new Set(d.scores.flatMap((s) => Object.keys(s.plugins)))].sort();
    out.push(
      d.scores.length === 1 && plugins.length === 0
        ? "Scores: one feasible node, nothing to compare"
        : "Scores (best first):",
    );
    const rows = d.scores.map((s) => [
      s.node === d.node ? `* ${s.node}` : `  ${s.node}`,
      String(s.total),
      ...plugins.map((p) => String(s.plugins[p] ?? "")),
    ]);
    out.push(indent(formatColumns([["  NODE", "TOTAL", ...plugins], ...rows])));
    if (d.node) out.push(`  (* chosen)`);
  }
  return `${out.join("\n")}\n`;
}

const indent = (block: string) =>
  block
    .trimEnd()
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
