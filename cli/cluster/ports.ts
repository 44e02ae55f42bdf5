// Ports on 127.0.0.1: a free one for a server that will bind it later, or whether a given one is free.
//
// A port is chosen below the kernel's ephemeral range (net.ipv4.ip_local_port_range): ports from that
// range are handed to every outgoing connection too, so a port found free there can be taken by some
// client's connect() in the moment between choosing it and the server binding it (a real EADDRINUSE
// seen with many components and tests starting at once). Below the range only another listener can
// take it, and this process never hands out the same port twice.

import { readFileSync } from "node:fs";
import { createServer } from "node:net";

const given = new Set<number>();

/** The first port of the kernel's ephemeral range (32768 when it cannot be read). */
function ephemeralStart(): number {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 32768;
  } catch {
    return 32768;
  }
}

/** A port in [10000, ephemeral start) that is free now, or one the kernel picks if none is found. */
export async function freePort(): Promise<number> {
  const high = ephemeralStart();
  const low = 10000;
  for (let tries = 0; high - low > 1000 && tries < 50; tries++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (given.has(port) || !(await portFree(port))) continue;
    given.add(port);
    return port;
  }
  return kernelPort();
}

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}
