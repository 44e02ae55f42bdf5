// How Go prints the values kubectl's JSONPath finds, so output matches it byte for byte: fmt's %v
// (custom columns, scalars in -o jsonpath), %#v (the object in kubectl's error message) and
// encoding/json (maps and lists in -o jsonpath: keys sorted, <, > and & escaped).

type Json = unknown;

const isMap = (v: Json): v is Record<string, Json> => !!v && typeof v === "object" && !Array.isArray(v);

/** Go's %v of a float64: shortest digits, an exponent below 1e-4 and from 1e21 ("1e-05", "1e+21"). */
export function goFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  if (exp >= -4 && exp < 21) return String(n);
  const [mant, e] = n.toExponential().split("e") as [string, string];
  const sign = e.startsWith("-") ? "-" : "+";
  return `${mant}e${sign}${e.replace(/^[+-]/, "").padStart(2, "0")}`;
}

/** fmt.Sprint of a decoded JSON value: map[a:1 b:[x y]], <nil> for null. */
export function goSprint(v: Json): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "number") return goFloat(v);
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(" ")}]`;
  const m = v as Record<string, Json>;
  return `map[${Object.keys(m)
    .sort()
    .map((k) => `${k}:${goSprint(m[k])}`)
    .join(" ")}]`;
}

/** Go's %q of a string, which is JSON's quoting for everything a Kubernetes object holds. */
const goQuote = (s: string) =>
  JSON.stringify(s)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

/** fmt's %#v of a decoded JSON value (map[string]interface {}{"a":1, ...}). */
export function goSyntax(v: Json): string {
  if (v === null || v === undefined) return "interface {}(nil)";
  if (typeof v === "number") return goFloat(v);
  if (typeof v === "string") return goQuote(v);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(", ")}}`;
  const m = v as Record<string, Json>;
  const body = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goSyntax(m[k])}`)
    .join(", ");
  return `map[string]interface {}{${body}}`;
}

/** Every map's keys in order at every level, as Go marshals maps (and kubectl prints objects). */
export function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isMap(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys(v[k])]),
    );
  return v;
}

/** encoding/json's Marshal: keys sorted, HTML-sensitive characters escaped; MarshalIndent with indent. */
export function goJson(v: Json, indent?: string): string {
  return JSON.stringify(sortKeys(v), null, indent)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
