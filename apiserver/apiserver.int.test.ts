// The API server against a real etcd, through HTTP, as any client sees it.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startTestApiServer, type TestCluster } from "../testing/apiserver.js";
import { waitFor } from "../testing/index.js";

let c: TestCluster;

interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" || Buffer.isBuffer(body) ? (body as string) : JSON.stringify(body);
    (init.headers as Record<string, string>)["Content-Type"] ??= "application/json";
  }
  const res = await fetch(c.url + path, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* plain text */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

function pod(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: { app: "web" } },
    spec: { containers: [{ name: "c", image: "busybox" }], ...extra },
  };
}

function deployment(name: string, replicas = 2) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "c", image: "busybox:1.36" }] },
      },
    },
  };
}

/** Reads newline-delimited watch events until `until` says stop or the deadline passes. */
async function collectWatch(
  path: string,
  until: (events: any[]) => boolean,
  timeoutMs = 5000,
): Promise<any[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const events: any[] = [];
  try {
    const res = await fetch(c.url + path, { signal: ac.signal });
    assert.equal(res.status, 200);
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let i = buf.indexOf("\n");
      while (i >= 0) {
        events.push(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
        i = buf.indexOf("\n");
      }
      if (until(events)) break;
    }
  } catch (err) {
    if ((err as Error).name !== "AbortError") throw err;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return events;
}

before(async () => {
  c = await startTestApiServer();
});
after(async () => {
  await c?.stop();
});

describe("namespaces and discovery", () => {
  test("default, kube-system, kube-public and kube-node-lease exist from the start", async () => {
    const r = await call("GET", "/api/v1/namespaces");
    assert.equal(r.status, 200);
    const names = r.body.items.map((n: any) => n.metadata.name).sort();
    assert.deepEqual(names, ["default", "kube-node-lease", "kube-public", "kube-system"]);
    assert.equal(r.body.items[0].status.phase, "Active");
  });

  test("health, readiness and metrics answer", async () => {
    assert.equal((await call("GET", "/healthz")).body, "ok");
    assert.equal((await call("GET", "/readyz")).body, "ok");
    const m = await call("GET", "/metrics");
    assert.match(m.body, /apiserver_request_total/);
  });

  test("the default namespace cannot be deleted", async () => {
    const r = await call("DELETE", "/api/v1/namespaces/default");
    assert.equal(r.status, 403);
    assert.equal(r.body.reason, "Forbidden");
  });
});

describe("create", () => {
  test("sets uid, creationTimestamp, resourceVersion, generation and defaults", async () => {
    const r = await call("POST", "/api/v1/namespaces/default/pods", pod("create-1"));
    assert.equal(r.status, 201);
    const m = r.body.metadata;
    assert.match(m.uid, /^[0-9a-f-]{36}$/);
    assert.match(m.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(m.resourceVersion, /^\d+$/);
    assert.equal(m.generation, 1);
    assert.equal(m.namespace, "default");
    assert.equal(r.body.spec.restartPolicy, "Always");
    assert.equal(r.body.spec.containers[0].imagePullPolicy, "Always");
    assert.equal(r.body.status.phase, "Pending");
    const got = await call("GET", "/api/v1/namespaces/default/pods/create-1");
    assert.equal(got.status, 200);
    assert.equal(got.body.metadata.resourceVersion, m.resourceVersion);
    assert.equal(got.body.kind, "Pod");
  });

  test("generateName makes a unique name", async () => {
    const body = pod("");
    (body.metadata as any) = { generateName: "gen-" };
    const a = await call("POST", "/api/v1/namespaces/default/pods", body);
    const b = await call("POST", "/api/v1/namespaces/default/pods", body);
    assert.equal(a.status, 201);
    assert.match(a.body.metadata.name, /^gen-[a-z0-9]{5}$/);
    assert.notEqual(a.body.metadata.name, b.body.metadata.name);
  });

  test("a duplicate is 409 AlreadyExists and leaves the first untouched", async () => {
    const first = await call("POST", "/api/v1/namespaces/default/pods", pod("dup"));
    const second = await call(
      "POST",
      "/api/v1/namespaces/default/pods",
      pod("dup", { nodeName: "elsewhere" }),
    );
    assert.equal(second.status, 409);
    assert.equal(second.body.kind, "Status");
    assert.equal(second.body.reason, "AlreadyExists");
    assert.equal(second.body.message, 'pods "dup" already exists');
    const got = await call("GET", "/api/v1/namespaces/default/pods/dup");
    assert.equal(got.body.metadata.uid, first.body.metadata.uid);
    assert.equal(got.body.spec.nodeName, undefined);
  });

  test("an invalid object is 422 with field paths, and nothing is stored", async () => {
    const bad = pod("bad-pod");
    (bad.spec.containers[0] as any).image = "";
    const r = await call("POST", "/api/v1/namespaces/default/pods", bad);
    assert.equal(r.status, 422);
    assert.equal(r.body.reason, "Invalid");
    assert.equal(r.body.details.kind, "Pod");
    assert.ok(
      r.body.details.causes.some(
        (x: any) => x.field === "spec.containers[0].image" && x.reason === "FieldValueRequired",
      ),
      JSON.stringify(r.body.details.causes),
    );
    assert.equal((await call("GET", "/api/v1/namespaces/default/pods/bad-pod")).status, 404);
  });

  test("an invalid name is 422 with Kubernetes' message", async () => {
    const r = await call("POST", "/api/v1/namespaces/default/pods", pod("Bad_Name"));
    assert.equal(r.status, 422);
    assert.ok(r.body.details.causes.some((x: any) => x.field === "metadata.name"));
  });

  test("unknown fields: Strict rejects with the path, Warn accepts with a warning, Ignore drops", async () => {
    const withUnknown = pod("unk");
    (withUnknown.spec as any).bogus = 1;
    const strict = await call("POST", "/api/v1/namespaces/default/pods?fieldValidation=Strict", withUnknown);
    assert.equal(strict.status, 400);
    assert.match(strict.body.message, /strict decoding error: unknown field "spec\.bogus"/);
    const dflt = await call("POST", "/api/v1/namespaces/default/pods", withUnknown);
    assert.equal(dflt.status, 400, "without fieldValidation an unknown field is still an error");
    const warn = await call("POST", "/api/v1/namespaces/default/pods?fieldValidation=Warn", withUnknown);
    assert.equal(warn.status, 201);
    assert.match(warn.headers.get("warning") ?? "", /unknown field \\"spec\.bogus\\"/);
    assert.equal(warn.body.spec.bogus, undefined);
  });

  test("malformed JSON is 400, a wrong kind is 400, an oversized body is 413", async () => {
    const r = await call("POST", "/api/v1/namespaces/default/pods", '{"apiVersion": "v1", "kind": ');
    assert.equal(r.status, 400);
    assert.equal(r.body.kind, "Status");
    assert.match(r.body.message, /not valid JSON/);
    const wrong = await call("POST", "/api/v1/namespaces/default/pods", { ...pod("wk"), kind: "Node" });
    assert.equal(wrong.status, 400);
    const huge = pod("huge");
    (huge.metadata as any).annotations = { big: "x".repeat(4 * 1024 * 1024) };
    const big = await call("POST", "/api/v1/namespaces/default/pods", huge);
    assert.equal(big.status, 413);
    assert.equal(big.body.reason, "RequestEntityTooLarge");
    assert.match(big.body.message, /\(limit 3 MiB\)/);
  });

  test("an object under the body limit but over etcd's request limit is 413 with what to do, not a 503, and nothing is stored", async () => {
    for (const [name, size] of [
      ["over-etcd-limit", 1.7 * 1024 * 1024],
      ["over-etcd-grpc-limit", 2.5 * 1024 * 1024],
    ] as const) {
      const p = pod(name);
      (p.spec as any).containers[0].command = ["sh", "-c", "x".repeat(size)];
      const r = await call("POST", "/api/v1/namespaces/default/pods", p);
      assert.equal(r.status, 413, `${name}: ${r.body.message}`);
      assert.equal(r.body.reason, "RequestEntityTooLarge");
      assert.match(r.body.message, /too large to store: etcd refused it .*Keep objects under 1\.5 MiB/);
      assert.equal((await call("GET", `/api/v1/namespaces/default/pods/${name}`)).status, 404);
    }
  });

  test("creating in a namespace that does not exist is 404", async () => {
    const r = await call("POST", "/api/v1/namespaces/nope/pods", pod("x"));
    assert.equal(r.status, 404);
    assert.equal(r.body.message, 'namespaces "nope" not found');
  });

  test("dryRun=All validates and answers but stores nothing", async () => {
    const r = await call("POST", "/api/v1/namespaces/default/pods?dryRun=All", pod("dry"));
    assert.equal(r.status, 201);
    assert.equal((await call("GET", "/api/v1/namespaces/default/pods/dry")).status, 404);
  });

  test("a dry-run create of a taken name is 409 AlreadyExists, as the real create would be", async () => {
    assert.equal((await call("POST", "/api/v1/namespaces/default/pods", pod("dry-taken"))).status, 201);
    const r = await call("POST", "/api/v1/namespaces/default/pods?dryRun=All", pod("dry-taken"));
    assert.equal(r.status, 409);
    assert.equal(r.body.reason, "AlreadyExists");
  });

  test("a delete with dryRun in its DeleteOptions body (as kubectl sends it) deletes nothing", async () => {
    assert.equal((await call("POST", "/api/v1/namespaces/default/pods", pod("dry-del"))).status, 201);
    const r = await call("DELETE", "/api/v1/namespaces/default/pods/dry-del", {
      kind: "DeleteOptions",
      apiVersion: "v1",
      dryRun: ["All"],
      gracePeriodSeconds: 0,
    });
    assert.equal(r.status, 200);
    const got = await call("GET", "/api/v1/namespaces/default/pods/dry-del");
    assert.equal(got.status, 200, "the pod is still there");
    assert.equal(got.body.metadata.deletionTimestamp, undefined, "and not marked for deletion");
    const bad = await call("DELETE", "/api/v1/namespaces/default/pods/dry-del", {
      kind: "DeleteOptions",
      apiVersion: "v1",
      dryRun: ["Some"],
    });
    assert.equal(bad.status, 400);
  });
});

describe("update, status and generation", () => {
  test("a stale resourceVersion is 409 Conflict; a current one succeeds", async () => {
    const created = (await call("POST", "/apis/apps/v1/namespaces/default/deployments", deployment("upd")))
      .body;
    const v1 = structuredClone(created);
    v1.spec.replicas = 3;
    const ok = await call("PUT", "/apis/apps/v1/namespaces/default/deployments/upd", v1);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.metadata.generation, 2, "a spec change bumps generation");
    const stale = structuredClone(created);
    stale.spec.replicas = 5;
    const r = await call("PUT", "/apis/apps/v1/namespaces/default/deployments/upd", stale);
    assert.equal(r.status, 409);
    assert.equal(r.body.reason, "Conflict");
    const got = await call("GET", "/apis/apps/v1/namespaces/default/deployments/upd");
    assert.equal(got.body.spec.replicas, 3);
  });

  test("status writes never change spec or generation; main writes never change status", async () => {
    const created = (await call("POST", "/apis/apps/v1/namespaces/default/deployments", deployment("st")))
      .body;
    const s = structuredClone(created);
    s.status = { replicas: 2, readyReplicas: 1, observedGeneration: 1 };
    s.spec.replicas = 9;
    const st = await call("PUT", "/apis/apps/v1/namespaces/default/deployments/st/status", s);
    assert.equal(st.status, 200);
    assert.equal(st.body.status.readyReplicas, 1);
    assert.equal(st.body.spec.replicas, 2);
    assert.equal(st.body.metadata.generation, 1);
    const m = structuredClone(st.body);
    m.status = { replicas: 0 };
    m.metadata.labels = { touched: "yes" };
    const main = await call("PUT", "/apis/apps/v1/namespaces/default/deployments/st", m);
    assert.equal(main.body.status.readyReplicas, 1);
    assert.equal(main.body.metadata.generation, 1, "a metadata change does not bump generation");
    assert.equal(main.body.metadata.labels.touched, "yes");
  });

  test("an update that changes nothing keeps the resourceVersion", async () => {
    const created = (
      await call("POST", "/api/v1/namespaces/default/configmaps", {
        metadata: { name: "same" },
        data: { a: "1" },
      })
    ).body;
    const again = await call("PUT", "/api/v1/namespaces/default/configmaps/same", created);
    assert.equal(again.status, 200);
    assert.equal(again.body.metadata.resourceVersion, created.metadata.resourceVersion);
  });
});

describe("patch", () => {
  test("merge patch, JSON patch and strategic merge patch", async () => {
    await call("POST", "/apis/apps/v1/namespaces/default/deployments", deployment("pt"));
    const merge = await call(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/pt",
      { metadata: { labels: { tier: "fe" } } },
      { "Content-Type": "application/merge-patch+json" },
    );
    assert.equal(merge.status, 200);
    assert.equal(merge.body.metadata.labels.tier, "fe");
    const json = await call(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/pt",
      [{ op: "replace", path: "/spec/replicas", value: 4 }],
      { "Content-Type": "application/json-patch+json" },
    );
    assert.equal(json.body.spec.replicas, 4);
    const smp = await call(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/pt",
      { spec: { template: { spec: { containers: [{ name: "side", image: "busybox" }] } } } },
      { "Content-Type": "application/strategic-merge-patch+json" },
    );
    assert.equal(smp.status, 200, JSON.stringify(smp.body));
    assert.deepEqual(smp.body.spec.template.spec.containers.map((x: any) => x.name).sort(), ["c", "side"]);
    assert.equal(smp.body.metadata.generation, 3);
  });

  test("an unsupported patch type is 415; a failing JSON patch changes nothing", async () => {
    await call("POST", "/api/v1/namespaces/default/configmaps", {
      metadata: { name: "pcm" },
      data: { a: "1" },
    });
    const r = await call("PATCH", "/api/v1/namespaces/default/configmaps/pcm", "{}", {
      "Content-Type": "text/plain",
    });
    assert.equal(r.status, 415);
    const bad = await call(
      "PATCH",
      "/api/v1/namespaces/default/configmaps/pcm",
      [
        { op: "replace", path: "/data/a", value: "2" },
        { op: "test", path: "/data/a", value: "nope" },
      ],
      { "Content-Type": "application/json-patch+json" },
    );
    assert.ok(bad.status >= 400 && bad.status < 500);
    assert.equal((await call("GET", "/api/v1/namespaces/default/configmaps/pcm")).body.data.a, "1");
  });

  test("cordon and uncordon a node with strategic merge patches", async () => {
    await call("POST", "/api/v1/nodes", { metadata: { name: "node-p" } });
    const on = await call(
      "PATCH",
      "/api/v1/nodes/node-p",
      { spec: { unschedulable: true } },
      { "Content-Type": "application/strategic-merge-patch+json" },
    );
    assert.equal(on.body.spec.unschedulable, true);
    const off = await call(
      "PATCH",
      "/api/v1/nodes/node-p",
      { spec: { unschedulable: null } },
      { "Content-Type": "application/strategic-merge-patch+json" },
    );
    assert.equal(off.body.spec.unschedulable, undefined);
  });
});

describe("list", () => {
  test("label and field selectors, limit and continue", async () => {
    await call("POST", "/api/v1/namespaces", { metadata: { name: "lst" } });
    for (let i = 0; i < 5; i++) {
      const p = pod(`l${i}`, i % 2 ? { nodeName: "n1" } : {});
      (p.metadata as any).labels = { app: i < 3 ? "a" : "b" };
      assert.equal((await call("POST", "/api/v1/namespaces/lst/pods", p)).status, 201);
    }
    const byLabel = await call("GET", "/api/v1/namespaces/lst/pods?labelSelector=app%3Da");
    assert.deepEqual(
      byLabel.body.items.map((p: any) => p.metadata.name),
      ["l0", "l1", "l2"],
    );
    const byField = await call("GET", "/api/v1/namespaces/lst/pods?fieldSelector=spec.nodeName%3Dn1");
    assert.deepEqual(
      byField.body.items.map((p: any) => p.metadata.name),
      ["l1", "l3"],
    );
    const notIn = await call("GET", "/api/v1/namespaces/lst/pods?labelSelector=app+notin+%28a%29");
    assert.deepEqual(
      notIn.body.items.map((p: any) => p.metadata.name),
      ["l3", "l4"],
    );
    const names: string[] = [];
    let cont = "";
    let pages = 0;
    do {
      const page = await call(
        "GET",
        `/api/v1/namespaces/lst/pods?limit=2${cont ? `&continue=${encodeURIComponent(cont)}` : ""}`,
      );
      assert.ok(page.body.items.length <= 2);
      names.push(...page.body.items.map((p: any) => p.metadata.name));
      cont = page.body.metadata.continue ?? "";
      pages++;
    } while (cont && pages < 10);
    assert.deepEqual(names, ["l0", "l1", "l2", "l3", "l4"]);
    assert.equal(pages, 3);
    const bad = await call("GET", "/api/v1/namespaces/lst/pods?fieldSelector=spec.bogus%3Dx");
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /field label not supported: spec.bogus/);
    const all = await call("GET", "/api/v1/pods?labelSelector=app%3Db");
    assert.ok(all.body.items.every((p: any) => p.metadata.labels.app === "b"));
    assert.equal(all.body.items.length, 2);
  });

  test("Table output has Kubernetes' pod columns and the object metadata", async () => {
    const r = await call("GET", "/api/v1/namespaces/lst/pods", undefined, {
      Accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
    });
    assert.equal(r.body.kind, "Table");
    assert.deepEqual(
      r.body.columnDefinitions.filter((d: any) => d.priority === 0).map((d: any) => d.name),
      ["Name", "Ready", "Status", "Restarts", "Age"],
    );
    assert.equal(r.body.rows[0].cells[0], "l0");
    assert.equal(r.body.rows[0].object.kind, "PartialObjectMetadata");
  });
});

describe("watch", () => {
  test("from a resourceVersion: every later change, in order, with DELETED carrying the last state", async () => {
    const start = (await call("GET", "/api/v1/namespaces/default/configmaps")).body.metadata.resourceVersion;
    const watching = collectWatch(
      `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${start}`,
      (evs) => evs.some((e) => e.type === "DELETED"),
    );
    await call("POST", "/api/v1/namespaces/default/configmaps", {
      metadata: { name: "w1" },
      data: { v: "1" },
    });
    await call(
      "PATCH",
      "/api/v1/namespaces/default/configmaps/w1",
      { data: { v: "2" } },
      { "Content-Type": "application/merge-patch+json" },
    );
    await call("DELETE", "/api/v1/namespaces/default/configmaps/w1");
    const evs = (await watching).filter((e) => e.object.metadata.name === "w1");
    assert.deepEqual(
      evs.map((e) => e.type),
      ["ADDED", "MODIFIED", "DELETED"],
    );
    assert.equal(evs[2].object.data.v, "2");
    const rvs = evs.map((e) => Number(e.object.metadata.resourceVersion));
    assert.ok(rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!);
  });

  test("a burst of concurrent writes reaches a watcher whole: each once, one per line, in order", async () => {
    await call("POST", "/api/v1/namespaces", { metadata: { name: "burst" } });
    const start = (await call("GET", "/api/v1/namespaces/burst/configmaps")).body.metadata.resourceVersion;
    const n = 200;
    const watching = collectWatch(
      `/api/v1/namespaces/burst/configmaps?watch=true&resourceVersion=${start}`,
      (evs) => evs.length >= n,
      15_000,
    );
    const created = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        call("POST", "/api/v1/namespaces/burst/configmaps", {
          metadata: { name: `b${i}` },
          data: { i: String(i) },
        }),
      ),
    );
    assert.ok(created.every((r) => r.status === 201));
    const evs = await watching;
    assert.equal(evs.length, n, "one event per create (the names below show none twice)");
    assert.ok(evs.every((e) => e.type === "ADDED"));
    assert.deepEqual(
      evs.map((e) => e.object.metadata.name).sort(),
      Array.from({ length: n }, (_, i) => `b${i}`).sort(),
    );
    const rvs = evs.map((e) => Number(e.object.metadata.resourceVersion));
    assert.ok(
      rvs.every((rv, i) => i === 0 || rv > rvs[i - 1]!),
      "in resourceVersion order",
    );
  });

  test("without a resourceVersion: synthetic ADDED for what exists", async () => {
    const evs = await collectWatch("/api/v1/namespaces?watch=true", (e) => e.length >= 4);
    assert.ok(evs.length >= 4);
    assert.ok(evs.every((e) => e.type === "ADDED"));
  });

  test("a field-selected watch sees only its object", async () => {
    const start = (await call("GET", "/api/v1/namespaces/default/configmaps")).body.metadata.resourceVersion;
    const watching = collectWatch(
      `/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dfs2&resourceVersion=${start}`,
      (evs) => evs.length >= 1,
    );
    await call("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "fs1" } });
    await call("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "fs2" } });
    const evs = await watching;
    assert.deepEqual(
      evs.map((e) => e.object.metadata.name),
      ["fs2"],
    );
  });

  test("timeoutSeconds ends the stream", async () => {
    const t0 = Date.now();
    const res = await fetch(
      `${c.url}/api/v1/namespaces/default/pods?watch=true&resourceVersion=0&timeoutSeconds=1`,
    );
    await res.text();
    assert.ok(Date.now() - t0 < 4000);
  });
});

describe("delete", () => {
  test("a pod on a node is deleted gracefully; a second delete with grace 0 removes it", async () => {
    await call(
      "POST",
      "/api/v1/namespaces/default/pods",
      pod("grace", { nodeName: "n1", terminationGracePeriodSeconds: 20 }),
    );
    const r = await call("DELETE", "/api/v1/namespaces/default/pods/grace", {
      propagationPolicy: "Background",
    });
    assert.equal(r.status, 200);
    assert.ok(r.body.metadata.deletionTimestamp);
    assert.equal(r.body.metadata.deletionGracePeriodSeconds, 20);
    assert.equal((await call("GET", "/api/v1/namespaces/default/pods/grace")).status, 200);
    await call("DELETE", "/api/v1/namespaces/default/pods/grace", { gracePeriodSeconds: 0 });
    assert.equal((await call("GET", "/api/v1/namespaces/default/pods/grace")).status, 404);
  });

  test("an unscheduled pod goes at once", async () => {
    await call("POST", "/api/v1/namespaces/default/pods", pod("unsched"));
    await call("DELETE", "/api/v1/namespaces/default/pods/unsched");
    assert.equal((await call("GET", "/api/v1/namespaces/default/pods/unsched")).status, 404);
  });

  test("finalizers hold an object until the last one is removed", async () => {
    await call("POST", "/api/v1/namespaces/default/configmaps", {
      metadata: { name: "fin", finalizers: ["example.com/a"] },
    });
    const d = await call("DELETE", "/api/v1/namespaces/default/configmaps/fin");
    assert.ok(d.body.metadata.deletionTimestamp);
    assert.equal((await call("GET", "/api/v1/namespaces/default/configmaps/fin")).status, 200);
    const p = await call(
      "PATCH",
      "/api/v1/namespaces/default/configmaps/fin",
      { metadata: { finalizers: null } },
      { "Content-Type": "application/merge-patch+json" },
    );
    assert.equal(p.status, 200);
    assert.equal((await call("GET", "/api/v1/namespaces/default/configmaps/fin")).status, 404);
  });

  test("a missing object is 404 NotFound with Kubernetes' message", async () => {
    const r = await call("DELETE", "/apis/apps/v1/namespaces/default/deployments/nope");
    assert.equal(r.status, 404);
    assert.equal(r.body.message, 'deployments.apps "nope" not found');
  });
});

describe("subresources", () => {
  test("scale reads and writes spec.replicas through an autoscaling/v1 Scale", async () => {
    await call("POST", "/apis/apps/v1/namespaces/default/deployments", deployment("sc"));
    const s = await call("GET", "/apis/apps/v1/namespaces/default/deployments/sc/scale");
    assert.equal(s.body.kind, "Scale");
    assert.equal(s.body.spec.replicas, 2);
    assert.equal(s.body.status.selector, "app=sc");
    const p = await call(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/sc/scale",
      { spec: { replicas: 5 } },
      { "Content-Type": "application/merge-patch+json" },
    );
    assert.equal(p.body.spec.replicas, 5);
    const d = await call("GET", "/apis/apps/v1/namespaces/default/deployments/sc");
    assert.equal(d.body.spec.replicas, 5);
    assert.equal(d.body.metadata.generation, 2);
  });

  test("binding assigns a pod to an existing node once", async () => {
    await call("POST", "/api/v1/nodes", { metadata: { name: "node-b" } });
    await call("POST", "/api/v1/namespaces/default/pods", pod("tobind"));
    const missing = await call("POST", "/api/v1/namespaces/default/pods/tobind/binding", {
      target: { kind: "Node", name: "ghost" },
    });
    assert.equal(missing.status, 404);
    const ok = await call("POST", "/api/v1/namespaces/default/pods/tobind/binding", {
      metadata: { name: "tobind" },
      target: { kind: "Node", name: "node-b" },
    });
    assert.equal(ok.status, 201);
    const p = await call("GET", "/api/v1/namespaces/default/pods/tobind");
    assert.equal(p.body.spec.nodeName, "node-b");
    const again = await call("POST", "/api/v1/namespaces/default/pods/tobind/binding", {
      target: { kind: "Node", name: "node-p" },
    });
    assert.equal(again.status, 409);
  });
});

describe("etcd outages", () => {
  test("requests fail fast with 503 while etcd is down; the server and open watches recover", async () => {
    const start = (await call("GET", "/api/v1/namespaces/default/configmaps")).body.metadata.resourceVersion;
    const watching = collectWatch(
      `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${start}`,
      (evs) => evs.some((e) => e.type === "DELETED" && e.object.metadata.name === "before-outage"),
      30_000,
    );
    await call("POST", "/api/v1/namespaces/default/configmaps", {
      metadata: { name: "before-outage" },
      data: { kept: "yes" },
    });
    await c.etcd.kill();
    const t0 = Date.now();
    const down = await call("GET", "/api/v1/namespaces/default/configmaps/before-outage");
    assert.equal(down.status, 503);
    assert.equal(down.body.reason, "ServiceUnavailable");
    assert.ok(Date.now() - t0 < 12_000, `took ${Date.now() - t0} ms`);
    assert.equal((await call("GET", "/readyz")).status, 503);
    await c.etcd.restart();
    await waitFor(async () => (await call("GET", "/readyz")).status === 200, {
      timeoutMs: 20_000,
      what: "readyz after etcd restart",
    });
    await waitFor(
      async () =>
        (await call("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "after-outage" } }))
          .status === 201,
      {
        timeoutMs: 20_000,
        what: "a create after etcd restart",
      },
    );
    // A delete after the outage still reaches the resumed watch with the object's last state.
    assert.equal((await call("DELETE", "/api/v1/namespaces/default/configmaps/before-outage")).status, 200);
    const seen = await watching;
    const names = seen.map((e) => `${e.type} ${e.object.metadata.name}`);
    assert.deepEqual(
      names.filter((n) => n.endsWith("-outage")),
      ["ADDED before-outage", "ADDED after-outage", "DELETED before-outage"],
    );
    assert.deepEqual(seen.at(-1)?.object.data, { kept: "yes" });
  });
});

describe("strict decoding", () => {
  test("duplicate JSON keys are refused in Strict mode and nothing is stored", async () => {
    const body =
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dupkeys"},"data":{"a":"1","a":"2"}}';
    const r = await call("POST", "/api/v1/namespaces/default/configmaps", body);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /duplicate field "data.a"/);
    assert.equal((await call("GET", "/api/v1/namespaces/default/configmaps/dupkeys")).status, 404);
  });
});

describe("namespace deletion", () => {
  test("a deleted namespace terminates, refuses new content, empties itself and goes", async () => {
    await call("POST", "/api/v1/namespaces", { metadata: { name: "doomed" } });
    await call("POST", "/api/v1/namespaces/doomed/configmaps", { metadata: { name: "cm" } });
    await call("POST", "/apis/apps/v1/namespaces/doomed/deployments", deployment("d"));
    await call("POST", "/api/v1/namespaces/doomed/pods", pod("running", { nodeName: "n1" }));
    const del = await call("DELETE", "/api/v1/namespaces/doomed");
    assert.equal(del.status, 200);
    assert.equal(del.body.status.phase, "Terminating");
    const refused = await call("POST", "/api/v1/namespaces/doomed/configmaps", {
      metadata: { name: "late" },
    });
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /being terminated/);
    // The finalizer empties the namespace type by type, in no promised order: wait for each.
    await waitFor(
      async () =>
        (await call("GET", "/api/v1/namespaces/doomed/configmaps")).body.items.length === 0 &&
        (await call("GET", "/apis/apps/v1/namespaces/doomed/deployments")).body.items.length === 0,
      { what: "the configmaps and deployments in the namespace to be deleted" },
    );
    // The pod on a node is terminating gracefully, which holds the namespace.
    const p = await call("GET", "/api/v1/namespaces/doomed/pods/running");
    assert.ok(p.body.metadata.deletionTimestamp);
    assert.equal((await call("GET", "/api/v1/namespaces/doomed")).status, 200);
    // The node agent's last word: delete with grace 0. Then the namespace goes.
    await call("DELETE", "/api/v1/namespaces/doomed/pods/running", { gracePeriodSeconds: 0 });
    await waitFor(async () => (await call("GET", "/api/v1/namespaces/doomed")).status === 404, {
      what: "the namespace to be removed",
    });
  });
});

describe("verbs a path does not support", () => {
  test("POST to an object, PUT or PATCH to a collection: 405 MethodNotAllowed", async () => {
    const post = await call("POST", "/api/v1/namespaces/default/configmaps/some-name", {
      metadata: { name: "some-name" },
    });
    assert.equal(post.status, 405);
    assert.equal(post.body.reason, "MethodNotAllowed");
    assert.equal((await call("GET", "/api/v1/namespaces/default/configmaps/some-name")).status, 404);
    const put = await call("PUT", "/api/v1/namespaces/default/configmaps", { metadata: { name: "x" } });
    assert.equal(put.status, 405);
    const patch = await call(
      "PATCH",
      "/api/v1/namespaces/default/configmaps",
      {},
      { "Content-Type": "application/merge-patch+json" },
    );
    assert.equal(patch.status, 405);
  });

  test("an unknown resource is 404 with a Status", async () => {
    const r = await call("GET", "/api/v1/namespaces/default/widgets");
    assert.equal(r.status, 404);
    assert.equal(r.body.kind, "Status");
  });
});

describe("events", () => {
  test("an event is stored with an expiring etcd lease of at least an hour; other objects are not", async () => {
    const ev = await call("POST", "/api/v1/namespaces/default/events", {
      metadata: { name: "ev1" },
      involvedObject: { kind: "Pod", name: "p", namespace: "default" },
      reason: "Testing",
      message: "hello",
      type: "Normal",
    });
    assert.equal(ev.status, 201, JSON.stringify(ev.body));
    const etcd = c.etcd.client();
    try {
      const kv = (await etcd.get("/registry/events/default/ev1").exec()).kvs[0]!;
      assert.notEqual(String(kv.lease), "0");
      const ttl = await etcd.leaseClient.leaseTimeToLive({ ID: kv.lease });
      assert.ok(Number(ttl.TTL) >= 3600, `ttl ${ttl.TTL}`);
      await call("POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "no-ttl" } });
      const cm = (await etcd.get("/registry/configmaps/default/no-ttl").exec()).kvs[0]!;
      assert.equal(String(cm.lease), "0");
    } finally {
      etcd.close();
    }
  });
});

describe("lists from the watch cache", () => {
  test("resourceVersion=0 answers from the cache with the same items and selectors as etcd", async () => {
    await call("POST", "/api/v1/namespaces", { metadata: { name: "cached" } });
    for (const n of ["c2", "c1", "c3"]) {
      await call("POST", "/api/v1/namespaces/cached/configmaps", {
        metadata: { name: n, labels: { pick: n === "c3" ? "no" : "yes" } },
      });
    }
    const fresh = await call("GET", "/api/v1/namespaces/cached/configmaps?labelSelector=pick%3Dyes");
    const cached = await waitFor(
      async () => {
        const r = await call(
          "GET",
          "/api/v1/namespaces/cached/configmaps?labelSelector=pick%3Dyes&resourceVersion=0",
        );
        return r.body.items.length === 2 ? r : undefined;
      },
      { what: "the cache to catch up" },
    );
    assert.deepEqual(
      cached.body.items.map((o: any) => o.metadata.name),
      ["c1", "c2"],
    );
    assert.deepEqual(cached.body.items, fresh.body.items);
    assert.equal(cached.body.kind, "ConfigMapList");
    // Watching from the cached list's version misses nothing that comes after it.
    const rv = cached.body.metadata.resourceVersion;
    const watching = collectWatch(
      `/api/v1/namespaces/cached/configmaps?watch=true&resourceVersion=${rv}`,
      (e) => e.length >= 1,
    );
    await call("POST", "/api/v1/namespaces/cached/configmaps", { metadata: { name: "c4" } });
    assert.deepEqual(
      (await watching).map((e) => e.object.metadata.name),
      ["c4"],
    );
  });
});
