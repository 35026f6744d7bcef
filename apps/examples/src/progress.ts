/** A one-line progress bar on stderr (a no-op when stderr is not a terminal, e.g. in CI logs). */
export function progressBar(label: string, total: number): { tick(status: string): void; done(): void } {
  const tty = typeof process !== 'undefined' && process.stderr.isTTY;
  let count = 0;
  return {
    tick(status) {
      count++;
      if (!tty || (count % 5 !== 0 && count !== total)) return;
      const width = 30;
      const filled = Math.round((count / total) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total} ${status}   `);
    },
    done() {
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}
