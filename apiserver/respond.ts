// Writing responses: objects and lists as JSON, or as Tables when kubectl asks for them, and
// Warning headers for accepted-but-questionable input.

import type { ServerResponse } from "node:http";
import type { KubeObject, ListMeta, Status } from "../api/meta.js";
import { apiVersionOf, type ResourceType } from "../api/resources.js";
import { toTable, wantsTable } from "./table/index.js";

export interface ResponseFormat {
  table: boolean;
  includeObject: "None" | "Metadata" | "Object";
}

export function responseFormat(accept: string | undefined, q: URLSearchParams): ResponseFormat {
  const inc = q.get("includeObject");
  return {
    table: wantsTable(accept),
    includeObject: inc === "None" || inc === "Object" ? inc : "Metadata",
  };
}

export function sendJson(res: ServerResponse, code: number, body: unknown, warnings: string[] = []): void {
  const data = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(data)),
  };
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(data);
}

export function sendStatus(res: ServerResponse, s: Status): void {
  sendJson(res, s.code, s);
}

export function sendObject(
  res: ServerResponse,
  code: number,
  r: ResourceType,
  obj: KubeObject,
  fmt: ResponseFormat,
  warnings: string[] = [],
): void {
  if (fmt.table) {
    sendJson(
      res,
      code,
      toTable(r, [obj], {
        includeObject: fmt.includeObject,
        listMeta: { resourceVersion: obj.metadata.resourceVersion },
      }),
      warnings,
    );
    return;
  }
  sendJson(res, code, obj, warnings);
}

export function sendList(
  res: ServerResponse,
  r: ResourceType,
  items: KubeObject[],
  meta: ListMeta,
  fmt: ResponseFormat,
): void {
  if (fmt.table) {
    sendJson(res, 200, toTable(r, items, { includeObject: fmt.includeObject, listMeta: meta }));
    return;
  }
  const apiVersion = apiVersionOf(r);
  sendJson(res, 200, { kind: r.listKind, apiVersion, metadata: meta, items });
}
