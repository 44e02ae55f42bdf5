// `top nodes` rows: requested against allocatable as a bar, the figures and the percentage.

import type { Style } from "../style.js";
import type { Allocation } from "./allocation.js";
import { formatCpu, formatMemory } from "./format.js";

export const BAR_WIDTH = 20;

export function percent(used: number, total: number): number {
  return total > 0 ? Math.floor((used * 100) / total) : 0;
}

/** "[#########-----------]", over-commitment shown as a full bar. */
export function bar(used: number, total: number, width = BAR_WIDTH): string {
  const filled = total > 0 ? Math.min(width, Math.round((used / total) * width)) : 0;
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

function colourFor(style: Style, pct: number): (s: string) => string {
  return pct >= 90 ? style.red : pct >= 70 ? style.yellow : style.green;
}

function cell(style: Style, used: number, total: number, fmt: (n: number) => string): string {
  const pct = percent(used, total);
  return `${colourFor(style, pct)(bar(used, total))} ${fmt(used)}/${fmt(total)} ${pct}%`;
}

export function topNodeRows(allocations: Allocation[], style: Style): string[][] {
  return [
    ["NAME", "CPU(requests)", "MEMORY(requests)", "PODS"],
    ...allocations.map((a) => [
      a.node,
      cell(style, a.cpu.requested, a.cpu.allocatable, formatCpu),
      cell(style, a.memory.requested, a.memory.allocatable, formatMemory),
      `${a.pods.requested}/${a.pods.allocatable}`,
    ]),
  ];
}
