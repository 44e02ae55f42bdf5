// Which addresses a local cluster's pods get. Node i gets the /24 10.<b>.<i+1>.0 of one /16 block
// 10.<b>.0.0/16 per cluster, so that two clusters up at once on one machine (two data dirs) do not
// route the same addresses to two bridges. The block is chosen once, at `k8ts up`: starting from a
// number derived from the data dir, the first /16 that no route of the host overlaps. A cluster's
// bridges get their routes only when its first pods start, so a cluster that is up but still empty
// is invisible to this check; starting from the data dir keeps two such clusters apart anyway
// unless their data dirs happen to hash to nearby blocks.

/** The second octets a pod block may use: 10.16.0.0/16 … 10.254.0.0/16. */
const FIRST = 16;
const LAST = 254;

export interface PodNetwork {
  /** The cluster's block, e.g. "10.88.0.0/16". */
  block: string;
  /** Node i's pod CIDR. */
  nodeCidr(i: number): string;
}

export function podNetwork(secondOctet: number): PodNetwork {
  return {
    block: `10.${secondOctet}.0.0/16`,
    nodeCidr: (i) => `10.${secondOctet}.${i + 1}.0/24`,
  };
}

/** IPv4 "a.b.c.d/len" (or a bare address, /32) as [32-bit number, prefix length]. */
function parsePrefix(s: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(s);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const len = m[5] === undefined ? 32 : Number(m[5]);
  if (octets.some((o) => o > 255) || len > 32) return undefined;
  return [((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0, len];
}

function overlaps(a: [number, number], b: [number, number]): boolean {
  const len = Math.min(a[1], b[1]);
  if (len === 0) return true;
  const mask = (~0 << (32 - len)) >>> 0;
  return (a[0] & mask) === (b[0] & mask);
}

/**
 * The second octet of the first 10.x.0.0/16 from `start` on (wrapping around) that overlaps none of
 * the host's route destinations; undefined when every block is taken. The default route is not a
 * network of its own and is ignored.
 */
export function choosePodBlock(routeDestinations: string[], start: number): number | undefined {
  const taken = routeDestinations
    .filter((d) => d !== "default")
    .map(parsePrefix)
    .filter((p): p is [number, number] => p !== undefined && p[1] > 0);
  const span = LAST - FIRST + 1;
  const from = FIRST + ((((start - FIRST) % span) + span) % span);
  for (let k = 0; k < span; k++) {
    const octet = FIRST + ((from - FIRST + k) % span);
    const block: [number, number] = [((10 << 24) | (octet << 16)) >>> 0, 16];
    if (!taken.some((t) => overlaps(block, t))) return octet;
  }
  return undefined;
}

/** Where to start looking for a data dir's block: a number from a hash of its path. */
export function preferredPodBlock(dataDir: string): number {
  let h = 0;
  for (const ch of dataDir) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return FIRST + (h % (LAST - FIRST + 1));
}

const ROUTE_TYPES = ["local", "broadcast", "unicast", "blackhole", "unreachable", "prohibit", "anycast"];

/** The destinations of the host's IPv4 routes (`ip -4 route show table all`), first word of each line. */
export function routeDestinations(ipRouteOutput: string): string[] {
  return ipRouteOutput
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .map((w) => (ROUTE_TYPES.includes(w[0]!) ? w[1] : w[0]))
    .filter((d): d is string => Boolean(d));
}
