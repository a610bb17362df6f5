/**
 * Every failure the user should see is one of these. The exit code travels with the error so the
 * top level never has to guess: 2 = bad usage (nothing done), 1 = backend/network/disk, 130 = interrupted.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flag, value or environment: detected before any network call or disk write. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** The backend, the network or the file system failed while doing real work. */
export class RunError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 1);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** Ctrl-C or SIGTERM: the run stopped and cleaned up after itself. */
export class InterruptedError extends CliError {
  constructor(signal: NodeJS.Signals = 'SIGINT') {
    super(`Cancelled (${signal}); nothing was written.`, signal === 'SIGTERM' ? 143 : 130);
  }
}
