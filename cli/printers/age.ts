// Ages as kubectl shows them (apimachinery's duration.HumanDuration): "45s", "3m20s", "2h5m", "6d".

export function humanDuration(ms: number): string {
  if (ms < -1000) return "<invalid>";
  if (ms < 0) return "0s";
  const seconds = Math.floor(ms / 1000);
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const withRest = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit}${small}${smallUnit}`;
  if (minutes < 10) return withRest(minutes, "m", seconds % 60, "s");
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return withRest(hours, "h", minutes % 60, "m");
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return withRest(Math.floor(hours / 24), "d", hours % 24, "h");
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8)
    return withRest(Math.floor(hours / 24 / 365), "y", Math.floor(hours / 24) % 365, "d");
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** The age of a timestamp, or "<unknown>" when it is missing. */
export function ageOf(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return "<unknown>";
  return humanDuration(now - Date.parse(timestamp));
}
