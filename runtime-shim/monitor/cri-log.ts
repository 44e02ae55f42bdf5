// Container logs in the CRI format the kubelet and `kubectl logs` read:
//   <RFC3339Nano timestamp> <stdout|stderr> <F|P> <content>
// F ends a line; P marks a piece of a line longer than maxLineBytes, continued by the next entry.

export type LogStream = "stdout" | "stderr";

export const maxLineBytes = 16 * 1024;

/** RFC3339 with nanoseconds in UTC, from nanoseconds since the epoch. */
export function rfc3339Nano(epochNanos: bigint): string {
  const ms = Number(epochNanos / 1_000_000n);
  const nanos = (epochNanos % 1_000_000_000n).toString().padStart(9, "0");
  return `${new Date(ms).toISOString().slice(0, 19)}.${nanos}Z`;
}

/** Splits a stream into CRI log entries; feed it chunks, then end() flushes an unterminated line. */
export class LogLineWriter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly stream: LogStream,
    private readonly write: (entry: Buffer) => void,
    private readonly now: () => bigint,
  ) {}

  push(chunk: Buffer): void {
    let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10)) {
      this.emitLong(data.subarray(0, nl), "F");
      data = data.subarray(nl + 1);
    }
    while (data.length >= maxLineBytes) {
      this.emit(data.subarray(0, maxLineBytes), "P");
      data = data.subarray(maxLineBytes);
    }
    this.pending = Buffer.from(data);
  }

  end(): void {
    if (this.pending.length) this.emit(this.pending, "F");
    this.pending = Buffer.alloc(0);
  }

  private emitLong(line: Buffer, tag: "F"): void {
    while (line.length > maxLineBytes) {
      this.emit(line.subarray(0, maxLineBytes), "P");
      line = line.subarray(maxLineBytes);
    }
    this.emit(line, tag);
  }

  private emit(content: Buffer, tag: "F" | "P"): void {
    const head = Buffer.from(`${rfc3339Nano(this.now())} ${this.stream} ${tag} `);
    this.write(Buffer.concat([head, content, Buffer.from("\n")]));
  }
}
