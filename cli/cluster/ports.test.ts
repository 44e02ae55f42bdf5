import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { test } from "node:test";
import { freePort, portFree } from "./ports.js";

test("free ports come from below the ephemeral range, are bindable, and are never handed out twice", async () => {
  const ephemeral = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").split(/\s+/)[0]);
  const ports: number[] = [];
  for (let i = 0; i < 20; i++) ports.push(await freePort());
  assert.equal(new Set(ports).size, ports.length);
  for (const p of ports) assert.ok(p >= 10000 && p < ephemeral, `${p} is outside [10000, ${ephemeral})`);
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(ports[0], "127.0.0.1", r));
  try {
    assert.equal(await portFree(ports[0]!), false, "a port with a listener is not free");
  } finally {
    srv.close();
  }
});
