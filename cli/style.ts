// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

const plain: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s };

const sgr = (code: number) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const ansi: Style = { bold: sgr(1), dim: sgr(2), red: sgr(31), green: sgr(32), yellow: sgr(33) };

export function styleFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Style {
  return stream.isTTY && !env.NO_COLOR ? ansi : plain;
}

/** Progress for long waits: one rewritten line on a terminal, nothing when output is piped. */
export function progressLine(stream: NodeJS.WriteStream = process.stderr) {
  let shown = false;
  return {
    update(text: string) {
      if (!stream.isTTY) return;
      stream.write(`\r\x1b[2K${text}`);
      shown = true;
    },
    done() {
      if (shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}
