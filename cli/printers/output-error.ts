// A bad -o value or template. Not a UsageError: kubectl reports these as "error: ..." (exit 1), so
// they go through the verb's error reporting rather than main's usage message.

export class OutputError extends Error {}
