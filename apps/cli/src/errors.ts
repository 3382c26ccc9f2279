// The error types the CLI treats specially, and how any error is printed.

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Input the model cannot take (out of its alphabet, too long, empty): one line, exit code 1. */
export class InputError extends Error {
  override name = 'InputError';
}

/** A file the command line names that cannot be used (unreadable, malformed): one line naming the file and the field, exit code 1. */
export class FileError extends Error {
  override name = 'FileError';
}

/**
 * How an error reaches the user: one line `qkv: message` (the stack only with `--verbose` or
 * `DEBUG=1`), whatever the command. Returns the text to print on stderr.
 * @example formatError(new Error('boom'), false) // 'qkv: boom'
 */
export function formatError(err: unknown, verbose: boolean): string {
  if (verbose) return err instanceof Error && err.stack ? err.stack : String(err);
  const message = err instanceof Error ? err.message : String(err);
  const line = message.split('\n')[0]!;
  return `qkv: ${line}`;
}

/** Whether the user asked for stacks: `--verbose` anywhere on the command line, or `DEBUG` set (not 0). */
export function wantsStack(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes('--verbose') || (env.DEBUG !== undefined && env.DEBUG !== '' && env.DEBUG !== '0');
}
