// Image references as Docker and the kubelet normalise them: "busybox" is
// "docker.io/library/busybox:latest"; a digest reference keeps its digest and no tag.

export function normalizeReference(ref: string): string {
  let name = ref.trim();
  let suffix = "";
  const at = name.indexOf("@");
  if (at >= 0) {
    suffix = name.slice(at);
    name = name.slice(0, at);
  } else {
    const slash = name.lastIndexOf("/");
    const colon = name.lastIndexOf(":");
    if (colon > slash) {
      suffix = name.slice(colon);
      name = name.slice(0, colon);
    } else {
      suffix = ":latest";
    }
  }
  const first = name.split("/")[0]!;
  const hasRegistry =
    name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  if (!hasRegistry) name = `docker.io/${name.includes("/") ? name : `library/${name}`}`;
  return `${name}${suffix}`;
}

/** True for references that name an image by a syntactically valid name. */
export function isValidReference(ref: string): boolean {
  return /^[a-z0-9]+([._\-/:@a-zA-Z0-9]*)$/.test(ref.trim()) && !ref.includes("//");
}
