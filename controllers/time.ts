// Kubernetes' metav1.Time on the wire: RFC 3339 in whole seconds, UTC.
export function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
