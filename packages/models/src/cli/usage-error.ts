/**
 * A command line that cannot be run as given: unknown option, missing or malformed value, value out of
 * range, unknown model name. The CLIs print the message and the usage text and exit with code 2.
 *
 * @example
 * ```ts
 * throw new UsageError('--lr must be a number > 0, got -1', '--lr');
 * ```
 */
export class UsageError extends Error {
  /** The option the error is about (`--lr`), when there is one. */
  readonly option: string | undefined;

  /**
   * @param message - what is wrong and what is expected, naming the option.
   * @param option - the option concerned, e.g. `--batch-size`.
   */
  constructor(message: string, option?: string) {
    super(message);
    this.name = 'UsageError';
    this.option = option;
  }
}
