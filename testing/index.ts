// Test support shared by unit, integration and e2e tests: real etcd, free ports, waiting with deadlines.

export { processCpuMs } from "../runtime-shim/backends/process/proc-cpu.js";
export { startTestApiServer, type TestCluster } from "./apiserver.js";
export { BIG_STATE_OBJECTS, fillNamespace, pausedWatch } from "./big-state.js";
export { makeServerCerts, type TestCerts } from "./certs.js";
export { startEtcd, type TestEtcd, type TestEtcdOptions } from "./etcd.js";
export { type ExecStream, openExecStream } from "./exec-stream.js";
export { nodeObjectAt } from "./node-object.js";
export { SCALED_BACKOFF, startTestClusterWithNode, startTestNode, type TestNode } from "./nodeagent.js";
export { freePort } from "./ports.js";
export { postObject } from "./post-object.js";
export {
  type Daemon,
  K8TS_MAIN,
  kubectlBinary,
  REPO_ROOT,
  type RunResult,
  run,
  startK8ts,
  waitHttpOk,
} from "./processes.js";
export { startRuntimeShim, type TestRuntimeShim } from "./runtime-shim.js";
export { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";
export { runOnTerminal, type TerminalProgram, type TypedSession, waitForTerminalSize } from "./terminal.js";
export { type WaitOptions, waitFor } from "./wait.js";
export { openWatchEvents, type WatchEvents } from "./watch-events.js";
