// Whether a request asked for a Table: kubectl get sends
// `application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json`.
// Both versions of meta.k8s.io's Table have the same shape, so either is answered with v1.

import { mediaRanges } from "./media-ranges.js";

export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return mediaRanges(accept).some(
    ({ type, params }) =>
      type === "application/json" &&
      params.as === "Table" &&
      params.g === "meta.k8s.io" &&
      (params.v === "v1" || params.v === "v1beta1"),
  );
}
