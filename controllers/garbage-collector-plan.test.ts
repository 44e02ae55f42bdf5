import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { planDependent, planOwner } from "./garbage-collector-plan.js";

function obj(
  name: string,
  o: { uid?: string; finalizers?: string[]; deleting?: boolean; owners?: [string, boolean?][] } = {},
): KubeObject {
  return {
    metadata: {
      name,
      uid: o.uid ?? `${name}-uid`,
      ...(o.finalizers ? { finalizers: o.finalizers } : {}),
      ...(o.deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}),
      ...(o.owners
        ? {
            ownerReferences: o.owners.map(([uid, block]) => ({
              apiVersion: "v1",
              kind: "ConfigMap",
              name: uid,
              uid,
              blockOwnerDeletion: block,
            })),
          }
        : {}),
    },
  };
}

test("owner being deleted: orphan, foreground, and when the finalizer goes", () => {
  const table: { what: string; owner: KubeObject; deps: KubeObject[]; want: string; names?: string[] }[] = [
    { what: "not being deleted", owner: obj("o"), deps: [obj("d", { owners: [["o-uid"]] })], want: "none" },
    {
      what: "orphan with dependents",
      owner: obj("o", { deleting: true, finalizers: ["orphan"] }),
      deps: [obj("d", { owners: [["o-uid"]] })],
      want: "orphan",
      names: ["d"],
    },
    {
      what: "orphan done",
      owner: obj("o", { deleting: true, finalizers: ["orphan"] }),
      deps: [],
      want: "removeFinalizer",
    },
    {
      what: "foreground deletes live dependents",
      owner: obj("o", { deleting: true, finalizers: ["foregroundDeletion"] }),
      deps: [
        obj("a", { owners: [["o-uid", true]] }),
        obj("b", { deleting: true, owners: [["o-uid", true]] }),
      ],
      want: "deleteDependents",
      names: ["a"],
    },
    {
      what: "foreground waits for blocking dependents",
      owner: obj("o", { deleting: true, finalizers: ["foregroundDeletion"] }),
      deps: [obj("b", { deleting: true, owners: [["o-uid", true]] })],
      want: "waitForDependents",
    },
    {
      what: "foreground ignores non-blocking ones",
      owner: obj("o", { deleting: true, finalizers: ["foregroundDeletion"] }),
      deps: [obj("b", { deleting: true, owners: [["o-uid", false]] })],
      want: "removeFinalizer",
    },
    {
      what: "some other finalizer: not ours",
      owner: obj("o", { deleting: true, finalizers: ["example.com/x"] }),
      deps: [],
      want: "none",
    },
  ];
  for (const row of table) {
    const plan = planOwner(row.owner, row.deps);
    assert.equal(plan.kind, row.want, row.what);
    if (row.names && "dependents" in plan)
      assert.deepEqual(
        plan.dependents.map((d) => d.metadata.name),
        row.names,
        row.what,
      );
  }
});

test("dependent: delete when every owner is gone, trim when some are", () => {
  const exists = (uid: string) => uid.startsWith("live");
  const table: { what: string; o: KubeObject; want: string }[] = [
    { what: "no owners", o: obj("x"), want: "none" },
    { what: "owner alive", o: obj("x", { owners: [["live-1"]] }), want: "none" },
    { what: "owner gone", o: obj("x", { owners: [["dead-1"]] }), want: "delete" },
    { what: "one of two gone", o: obj("x", { owners: [["live-1"], ["dead-1"]] }), want: "removeReferences" },
    { what: "already being deleted", o: obj("x", { deleting: true, owners: [["dead-1"]] }), want: "none" },
  ];
  for (const row of table) assert.equal(planDependent(row.o, (r) => exists(r.uid)).kind, row.want, row.what);
});
