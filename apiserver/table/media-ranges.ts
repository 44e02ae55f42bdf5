// Accept header parsing for content negotiation: media ranges with their parameters, in the order
// the client listed them (`application/json;as=Table;v=v1;g=meta.k8s.io, application/json`).
// Parameter values keep their case (`as=Table`), names and types are case-insensitive.

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function mediaRanges(accept: string): MediaRange[] {
  return accept.split(",").map((part) => {
    const [type = "", ...rest] = part.split(";").map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf("=");
      if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params };
  });
}
