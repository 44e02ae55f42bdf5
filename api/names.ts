// Name and label syntax checks, mirroring k8s.io/apimachinery/pkg/util/validation. Each check returns
// the list of problems in Kubernetes' own words (empty when valid), so callers can build
// `Invalid value: "x": <messages joined by "; ">` exactly as the API server prints them.

const DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
const C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*";
const IANA_SVC_NAME_FMT = "[-a-z0-9]+";

const anchored = (fmt: string) => new RegExp(`^${fmt}$`);
const dns1123Label = anchored(DNS1123_LABEL_FMT);
const dns1123Subdomain = anchored(DNS1123_SUBDOMAIN_FMT);
const qualifiedName = anchored(QUALIFIED_NAME_FMT);
const labelValue = anchored(LABEL_VALUE_FMT);
const envVarName = anchored(ENV_VAR_NAME_FMT);
const cIdentifier = anchored(C_IDENTIFIER_FMT);
const ianaSvcName = anchored(IANA_SVC_NAME_FMT);

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const LABEL_VALUE_MAX_LENGTH = 63;
const QUALIFIED_NAME_MAX_LENGTH = 63;

/** "must be no more than N characters", as validation.MaxLenError words it. */
export function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

export const EMPTY_ERROR = "must be non-empty";

/** A regex failure message with examples, worded as validation.RegexError does. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  const eg = examples.map((e) => `'${e}', `).join(" or ");
  return `${msg} (e.g. ${eg}regex used for validation is '${fmt}')`;
}

const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** A DNS label (RFC 1123): namespace names, container names, port names. */
export function isDNS1123Label(s: string): string[] {
  const errs: string[] = [];
  if (s.length > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123Label.test(s))
    errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"));
  return errs;
}

/** A DNS subdomain (RFC 1123): most object names. */
export function isDNS1123Subdomain(s: string): string[] {
  const errs: string[] = [];
  if (s.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123Subdomain.test(s))
    errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
  return errs;
}

/** A label key or annotation key: an optional DNS-subdomain prefix and "/", then a name of ≤ 63 characters. */
export function isQualifiedName(s: string): string[] {
  const errs: string[] = [];
  const parts = s.split("/");
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY_ERROR}`);
    else for (const e of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${e}`);
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push(`name part ${EMPTY_ERROR}`);
  else if (name.length > QUALIFIED_NAME_MAX_LENGTH)
    errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  if (!qualifiedName.test(name)) {
    errs.push(
      `name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")}`,
    );
  }
  return errs;
}

/** A label value: empty, or ≤ 63 alphanumerics with '-', '_', '.' inside. */
export function isValidLabelValue(s: string): string[] {
  const errs: string[] = [];
  if (s.length > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValue.test(s))
    errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
  return errs;
}

/** An environment variable name (validation.IsEnvVarName, the strict pre-1.34 rule). */
export function isEnvVarName(s: string): string[] {
  const errs: string[] = [];
  if (!envVarName.test(s)) {
    errs.push(
      regexError(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
        ENV_VAR_NAME_FMT,
        "my.env-name",
        "MY_ENV.NAME",
        "MyEnvName1",
      ),
    );
  }
  for (const e of hasChDirPrefix(s)) errs.push(e);
  return errs;
}

// Kubernetes also rejects "." and ".." and names starting with ".." (hasChDirPrefix).
function hasChDirPrefix(s: string): string[] {
  if (s === ".") return [`must not be '.'`];
  if (s === "..") return [`must not be '..'`];
  if (s.startsWith("..")) return [`must not start with '..'`];
  return [];
}

/** A C identifier (configMapRef prefixes in old releases; kept for envFrom prefix checks). */
export function isCIdentifier(s: string): string[] {
  if (cIdentifier.test(s)) return [];
  return [
    regexError(
      "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'",
      C_IDENTIFIER_FMT,
      "my_name",
      "MY_NAME",
      "MyName",
    ),
  ];
}

/** An IANA service name: container port names (validation.IsValidPortName). */
export function isValidPortName(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 15) errs.push(maxLenError(15));
  if (!ianaSvcName.test(s))
    errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (s.includes("--")) errs.push("must not contain consecutive hyphens");
  if (!/[a-z]/.test(s)) errs.push("must contain at least one letter (a-z)");
  if (s.startsWith("-") || s.endsWith("-")) errs.push("must not begin or end with a hyphen");
  return errs;
}

/** A port number 1..65535 (validation.IsValidPortNum). */
export function isValidPortNum(n: number): string[] {
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? [] : ["must be between 1 and 65535, inclusive"];
}
