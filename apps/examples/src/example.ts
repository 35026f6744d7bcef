/** One runnable example: prints through `print` so tests can capture its output. */
export interface Example {
  readonly name: string;
  readonly description: string;
  run(print: (line: string) => void, args: readonly string[]): Promise<void> | void;
}
