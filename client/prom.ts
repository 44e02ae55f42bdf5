// prom-client's metric classes, loaded without the package's index. The index also loads every
// default metric, and the process CPU one pulls in @opentelemetry/api: 60–90 ms of each
// component's start-up on this machine, for metrics no component registers. The classes are
// prom-client's own (lib/), typed from its declarations; components import them from here.

import { createRequire } from "node:module";
import type * as Prom from "prom-client";

const require = createRequire(import.meta.url);

export const Counter: typeof Prom.Counter = require("prom-client/lib/counter");
export const Gauge: typeof Prom.Gauge = require("prom-client/lib/gauge");
export const Histogram: typeof Prom.Histogram = require("prom-client/lib/histogram");
export const Registry: typeof Prom.Registry = require("prom-client/lib/registry");

export type Counter<T extends string = string> = Prom.Counter<T>;
export type Gauge<T extends string = string> = Prom.Gauge<T>;
export type Histogram<T extends string = string> = Prom.Histogram<T>;
export type Registry = Prom.Registry;
