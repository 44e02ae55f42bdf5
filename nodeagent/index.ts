// The node agent (k8ts' kubelet). Import nodeagent/ only through this file.

export { type NodeAgent, type NodeAgentOptions, startNodeAgent } from "./agent.js";
export { rotationLimitsProblem } from "./log-rotation.js";
export { type CrashLoopBackoff, KUBERNETES_CRASH_LOOP_BACKOFF } from "./pod-actions.js";
