import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { after, test } from "node:test";
import {
  clientConfigFrom,
  KubeconfigError,
  kubeconfigPaths,
  NO_KUBECONFIG,
  parseKubeconfig,
} from "./kubeconfig.js";

const dir = mkdtempSync(join(tmpdir(), "k8ts-kubeconfig-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, text);
  return p;
}

const local = file(
  "local.yaml",
  `apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "http://127.0.0.1:6443/"}
- name: tls
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority: pki/ca.crt
contexts:
- name: local
  context: {cluster: local}
- name: admin
  context: {cluster: tls, user: admin, namespace: kube-system}
users:
- name: admin
  user:
    tokenFile: secrets/token
    client-certificate: /etc/k8ts/admin.crt
    client-key: pki/admin.key
current-context: local
`,
);
file("secrets/token", "s3cret\n");
const other = file(
  "other.yaml",
  `clusters:
- name: local
  cluster: {server: "http://other:1"}
- name: far
  cluster: {server: "http://far:2"}
contexts:
- name: far
  context: {cluster: far, namespace: team}
current-context: far
`,
);

test("the current context gives the server (no trailing slash) and the default namespace", () => {
  const cfg = clientConfigFrom({ kubeconfig: local, env: {} });
  assert.equal(cfg.server, "http://127.0.0.1:6443");
  assert.equal(cfg.namespace, "default");
  assert.equal(cfg.token, undefined);
  assert.equal(clientConfigFrom({ kubeconfig: local, env: {}, namespace: "x" }).namespace, "x");
});

test("a context's user brings its token file and certificate paths, relative to the kubeconfig", () => {
  const cfg = clientConfigFrom({ kubeconfig: local, context: "admin", env: {} });
  assert.equal(cfg.server, "https://10.0.0.1:6443");
  assert.equal(cfg.namespace, "kube-system");
  assert.equal(cfg.token, "s3cret");
  assert.equal(cfg.user.clientCertificate, "/etc/k8ts/admin.crt");
  assert.equal(cfg.user.clientKey, join(dir, "pki/admin.key"));
  assert.equal(cfg.cluster.certificateAuthority, join(dir, "pki/ca.crt"));
});

test("--kubeconfig wins over KUBECONFIG, then the one `k8ts up` wrote, then ~/.kube/config", () => {
  const home = join(dir, "home");
  const homeConfig = file("home/.kube/config", "clusters: []\n");
  const env = { HOME: home, KUBECONFIG: other };
  assert.deepEqual(kubeconfigPaths({ kubeconfig: local, env }), [local]);
  assert.deepEqual(kubeconfigPaths({ env }), [other]);
  assert.deepEqual(kubeconfigPaths({ env: { HOME: home } }), [homeConfig]);
  const upConfig = file("home/.k8ts/kubeconfig", "clusters: []\n");
  assert.deepEqual(kubeconfigPaths({ env: { HOME: home } }), [upConfig]);
  const dataDir = join(dir, "data");
  const custom = file("data/kubeconfig", "clusters: []\n");
  assert.deepEqual(kubeconfigPaths({ env: { HOME: home, K8TS_DATA_DIR: dataDir } }), [custom]);
});

test("KUBECONFIG files merge, the first to define a name or current-context winning", () => {
  const missing = join(dir, "missing.yaml");
  const env = { KUBECONFIG: [missing, local, other].join(delimiter) };
  assert.equal(
    clientConfigFrom({ env }).server,
    "http://127.0.0.1:6443",
    "local's current-context and cluster",
  );
  const far = clientConfigFrom({ env, context: "far" });
  assert.equal(far.server, "http://far:2", "contexts from the second file are there too");
  assert.equal(far.namespace, "team");
  const reversed = clientConfigFrom({
    env: { KUBECONFIG: [other, local].join(delimiter) },
    context: "local",
  });
  assert.equal(reversed.server, "http://other:1", "the first file's 'local' cluster wins");
});

test("no kubeconfig anywhere says how to get one", () => {
  const env = { HOME: join(dir, "nobody") };
  assert.throws(
    () => clientConfigFrom({ env }),
    (e) => e instanceof KubeconfigError && e.message === NO_KUBECONFIG,
  );
  assert.equal(NO_KUBECONFIG, "no kubeconfig: run `k8ts up` or pass --kubeconfig");
  assert.throws(
    () => clientConfigFrom({ kubeconfig: join(dir, "nope"), env }),
    /kubeconfig .*nope does not exist/,
  );
});

test("broken files name what is wrong", () => {
  assert.throws(() => parseKubeconfig("clusters: {a: 1}", "f"), /f: clusters must be a list/);
  assert.throws(
    () => parseKubeconfig("clusters:\n- name: a\n  cluster: {}\n", "f"),
    /cluster "a" has no server/,
  );
  assert.throws(() => parseKubeconfig("clusters: [\n", "f"), /f: not valid YAML/);
  const cfg = parseKubeconfig("contexts:\n- name: c\n  context: {cluster: gone}\ncurrent-context: c\n", "f");
  assert.throws(
    () => clientConfigFrom({ kubeconfig: file("bad.yaml", "contexts: []\n"), env: {} }),
    /no current-context/,
  );
  assert.ok(cfg.contexts.has("c"));
  const bad = file("gone.yaml", "contexts:\n- name: c\n  context: {cluster: gone}\ncurrent-context: c\n");
  assert.throws(
    () => clientConfigFrom({ kubeconfig: bad, env: {} }),
    /cluster "gone" of context "c" not found/,
  );
});
