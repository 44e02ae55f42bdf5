// resource.Quantity: fixed-point amounts such as "250m" CPU or "128Mi" memory, parsed exactly.
//
// Mirrors k8s.io/apimachinery/pkg/api/resource: the value is kept as an exact count of nano-units
// (a bigint), parsing rounds anything finer than 1n away from zero (so a tiny request still asks for
// something), values are capped at 2^63-1, and the printed form is Kubernetes' canonical one: the
// suffix family of the input (binary "Mi", decimal "k"/"m", or an exponent "e3") with the largest
// suffix that keeps the number whole.

export class QuantityError extends Error {
  override name = "QuantityError";
}

export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

const SPLIT_RE = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
const FORMAT_ERROR = `quantities must match the regular expression '${SPLIT_RE}'`;
const SUFFIX_ERROR = "unable to parse quantity's suffix";

const NANO = 1_000_000_000n;
const MAX_ALLOWED_NANOS = (2n ** 63n - 1n) * NANO;
const MAX_INT32 = 2 ** 31 - 1;

const DECIMAL_SUFFIX_EXP: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIX_POW: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_EXP_SUFFIX = new Map(Object.entries(DECIMAL_SUFFIX_EXP).map(([s, e]) => [e, s]));
const BINARY_POW_SUFFIX = new Map(Object.entries(BINARY_SUFFIX_POW).map(([s, p]) => [p, s]));

interface Suffix {
  format: QuantityFormat;
  /** Power of ten (decimal formats) or of 1024 (binary). */
  exp: number;
}

function interpretSuffix(s: string): Suffix | undefined {
  if (s in DECIMAL_SUFFIX_EXP) return { format: "DecimalSI", exp: DECIMAL_SUFFIX_EXP[s]! };
  if (s in BINARY_SUFFIX_POW) return { format: "BinarySI", exp: BINARY_SUFFIX_POW[s]! };
  if (s.length > 1 && (s[0] === "e" || s[0] === "E") && /^[+-]?[0-9]+$/.test(s.slice(1))) {
    const exp = Number(s.slice(1));
    // Exponents outside int32 are rejected, not truncated (apimachinery's interpret()).
    if (Math.abs(exp) > MAX_INT32) return undefined;
    return { format: "DecimalExponent", exp };
  }
  return undefined;
}

const SMALL_POW10 = Array.from({ length: 64 }, (_, i) => 10n ** BigInt(i));
const pow10 = (n: number) => SMALL_POW10[n] ?? 10n ** BigInt(n);
const abs = (n: bigint) => (n < 0n ? -n : n);

/** Divides, rounding any remainder away from zero (inf.RoundUp / the scaled-value rounding of Kubernetes). */
function divAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  if (n % d === 0n) return q;
  return n < 0n ? q - 1n : q + 1n;
}

/** Recently parsed quantity texts (bounded: cleared when full). */
const PARSED = new Map<string, Quantity>();
const PARSED_MAX = 4096;

export class Quantity {
  private constructor(
    /** The exact amount in units of 10^-9. */
    readonly nanos: bigint,
    readonly format: QuantityFormat,
  ) {}

  /** toString()'s answer, once asked (the quantity never changes). */
  private text: string | undefined;

  static parse(input: string | number): Quantity {
    const s = typeof input === "number" ? String(input) : input;
    // Quantities are immutable and objects repeat a few values ("100m", "64Mi"): parsing with
    // bigints on every write, validation and scheduling decision was a visible cost.
    const known = PARSED.get(s);
    if (known) return known;
    const q = Quantity.parseText(s);
    if (PARSED.size >= PARSED_MAX) PARSED.clear();
    PARSED.set(s, q);
    return q;
  }

  private static parseText(s: string): Quantity {
    const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/s.exec(s);
    if (!m || s.length === 0) throw new QuantityError(FORMAT_ERROR);
    const [, sign, whole = "", frac = "", suffixText = ""] = m;
    if (whole === "" && frac === "" && !s.slice(sign!.length).startsWith(".")) {
      throw new QuantityError(FORMAT_ERROR);
    }
    if (!/^[eEinumkKMGTP]*[-+0-9]*$/.test(suffixText)) throw new QuantityError(FORMAT_ERROR);
    const suffix = interpretSuffix(suffixText);
    if (!suffix) throw new QuantityError(SUFFIX_ERROR);

    const digits = BigInt(`${whole}${frac}` || "0");
    let format = suffix.format;
    let nanos: bigint;
    if (digits === 0n) {
      nanos = 0n;
    } else {
      const binary = format === "BinarySI" ? 1024n ** BigInt(suffix.exp) : 1n;
      // value = digits * binary * 10^exp10; exp10 folds the fraction digits and a decimal exponent.
      const exp10 = (format === "BinarySI" ? 0 : suffix.exp) - frac.length;
      const digitCount = whole.length + frac.length;
      if (exp10 > 40) {
        nanos = MAX_ALLOWED_NANOS;
      } else if (exp10 + digitCount + 19 < -9) {
        nanos = 1n; // far below one nano-unit: rounds up to 1n
      } else {
        const scaled = exp10 + 9;
        nanos =
          scaled >= 0 ? digits * binary * pow10(scaled) : divAwayFromZero(digits * binary, pow10(-scaled));
      }
      if (nanos > MAX_ALLOWED_NANOS) nanos = MAX_ALLOWED_NANOS;
      // A binary amount below one is printed in decimal: "0.5Ki" is 512, but ".000000001Ki" is "1024n".
      if (format === "BinarySI" && nanos < NANO) format = "DecimalSI";
    }
    return new Quantity(sign === "-" ? -nanos : nanos, format);
  }

  /** Parses, returning undefined instead of throwing (for validators that report the error themselves). */
  static tryParse(input: string | number): Quantity | undefined {
    try {
      return Quantity.parse(input);
    } catch (e) {
      if (e instanceof QuantityError) return undefined;
      throw e;
    }
  }

  static fromMilli(milli: bigint | number, format: QuantityFormat = "DecimalSI"): Quantity {
    return new Quantity(BigInt(milli) * 1_000_000n, format);
  }

  /** The amount in thousandths, rounded away from zero (Quantity.MilliValue). */
  milliValue(): bigint {
    return divAwayFromZero(this.nanos, 1_000_000n);
  }

  /** The amount in whole units, rounded away from zero (Quantity.Value). */
  value(): bigint {
    return divAwayFromZero(this.nanos, NANO);
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.nanos === 0n ? 0 : this.nanos < 0n ? -1 : 1;
  }

  /** The sum, in this quantity's format (or the other's when this one is zero, as Quantity.Add does). */
  add(o: Quantity): Quantity {
    return new Quantity(this.nanos + o.nanos, this.nanos === 0n ? o.format : this.format);
  }

  sub(o: Quantity): Quantity {
    return new Quantity(this.nanos - o.nanos, this.nanos === 0n ? o.format : this.format);
  }

  cmp(o: Quantity): -1 | 0 | 1 {
    return this.nanos === o.nanos ? 0 : this.nanos < o.nanos ? -1 : 1;
  }

  toJSON(): string {
    return this.toString();
  }

  /** The canonical form Kubernetes serializes: "1500m", "128Mi", "1G", "1e3". Worked out once. */
  toString(): string {
    this.text ??= this.canonical();
    return this.text;
  }

  private canonical(): string {
    if (this.nanos === 0n) return "0";
    const sign = this.nanos < 0n ? "-" : "";
    const a = abs(this.nanos);
    if (this.format === "BinarySI" && a >= 1024n * NANO && a % NANO === 0n) {
      let mantissa = a / NANO;
      let pow = 0;
      while (mantissa % 1024n === 0n) {
        mantissa /= 1024n;
        pow++;
      }
      const suffix = BINARY_POW_SUFFIX.get(pow);
      if (pow === 0 || suffix !== undefined) return `${sign}${mantissa}${suffix ?? ""}`;
      // Past "Ei" there is no binary suffix: print the exact decimal value instead.
      return sign + decimalCanonical(a, "DecimalExponent");
    }
    return sign + decimalCanonical(a, this.format === "DecimalExponent" ? "DecimalExponent" : "DecimalSI");
  }
}

/** mantissa·10^exp with the exponent a multiple of three and the mantissa as small as stays whole. */
function decimalCanonical(nanos: bigint, format: "DecimalSI" | "DecimalExponent"): string {
  let mantissa = nanos;
  let exp = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exp++;
  }
  const r = ((exp % 3) + 3) % 3;
  mantissa *= pow10(r);
  exp -= r;
  if (format === "DecimalSI") {
    const suffix = DECIMAL_EXP_SUFFIX.get(exp);
    if (suffix !== undefined) return `${mantissa}${suffix}`;
  }
  return exp === 0 ? `${mantissa}` : `${mantissa}e${exp}`;
}

function toSafeNumber(n: bigint): number {
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return Number(n > max ? max : n < -max ? -max : n);
}

/** CPU in millicores ("250m" → 250, "2" → 2000, absent → 0), for schedulers and resource accounting. */
export function cpuMillis(q: string | number | undefined): number {
  if (q === undefined) return 0;
  return toSafeNumber(Quantity.parse(q).milliValue());
}

/** Memory (or any countable resource) in whole units ("128Mi" → 134217728, absent → 0). */
export function memoryBytes(q: string | number | undefined): number {
  if (q === undefined) return 0;
  return toSafeNumber(Quantity.parse(q).value());
}
