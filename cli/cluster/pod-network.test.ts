import assert from "node:assert/strict";
import { test } from "node:test";
import { choosePodBlock, podNetwork, preferredPodBlock, routeDestinations } from "./pod-network.js";

const IP_ROUTE = `default via 192.0.2.1 dev eth0
192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2
10.88.1.0/24 dev k8ts1a2bn1 proto kernel scope link src 10.88.1.1
10.89.0.0/16 dev cni0 proto kernel scope link src 10.89.0.1 linkdown
local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1
local 10.90.3.7 dev eth1 table local proto kernel scope host src 10.90.3.7
broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1
`;

test("the destinations of ip route's lines, route types skipped", () => {
  assert.deepEqual(routeDestinations(IP_ROUTE), [
    "default",
    "192.0.2.0/24",
    "10.88.1.0/24",
    "10.89.0.0/16",
    "127.0.0.0/8",
    "10.90.3.7",
    "127.255.255.255",
  ]);
});

test("the first /16 from the preferred one that no route overlaps", () => {
  const routes = routeDestinations(IP_ROUTE);
  assert.equal(choosePodBlock(routes, 88), 91, "10.88 has a /24 in use, 10.89 a /16, 10.90 a local address");
  assert.equal(choosePodBlock(routes, 120), 120);
  assert.equal(choosePodBlock([], 88), 88);
  assert.equal(choosePodBlock(["default"], 88), 88, "the default route is not a network");
  assert.equal(choosePodBlock(["10.0.0.0/8"], 88), undefined, "a route over all of 10/8 leaves nothing");
  assert.equal(choosePodBlock(["10.254.0.0/16"], 254), 16, "wraps around after 10.254");
  assert.equal(choosePodBlock(["10.88.0.0/15"], 88), 90, "a wider route covers several blocks");
});

test("each node gets a /24 of the cluster's block; data dirs start from different blocks", () => {
  const net = podNetwork(91);
  assert.equal(net.block, "10.91.0.0/16");
  assert.equal(net.nodeCidr(0), "10.91.1.0/24");
  assert.equal(net.nodeCidr(2), "10.91.3.0/24");
  const a = preferredPodBlock("/tmp/k8ts-a/data");
  assert.equal(a, preferredPodBlock("/tmp/k8ts-a/data"));
  assert.notEqual(a, preferredPodBlock("/tmp/k8ts-b/data"));
  for (const d of ["/", "/root/.k8ts", "/tmp/x"]) {
    const b = preferredPodBlock(d);
    assert.ok(b >= 16 && b <= 254, `${d}: ${b}`);
  }
});
