/**
 * Ctrl-C and SIGTERM: run the registered cleanups synchronously (remove the staging folder), say so,
 * and exit at once with 130 (SIGINT) or 143 (SIGTERM). Exiting from the handler means no pending write
 * can land after the cleanup.
 */
import { InterruptedError } from './errors';

/**
 * A cleanup may return what to say instead of "nothing was written" (a workshop keeps what it made); it
 * is told the signal, so that what it says can name it.
 */
type Cleanup = (signal?: NodeJS.Signals) => void | string;

export interface InterruptGuard {
  /** Registers a cleanup; returns a function that unregisters it. */
  onInterrupt(cleanup: Cleanup): () => void;
  dispose(): void;
}

export function installInterruptGuard(report: (message: string) => void, exit: (code: number) => never): InterruptGuard {
  const cleanups = new Set<Cleanup>();
  const handler = (signal: NodeJS.Signals) => {
    const error = new InterruptedError(signal);
    let message = error.message;
    for (const cleanup of [...cleanups].reverse()) {
      try {
        const said = cleanup(signal);
        if (typeof said === 'string') message = said;
      } catch {
        // keep going: every cleanup gets its chance
      }
    }
    report(message);
    exit(error.exitCode);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    onInterrupt(cleanup) {
      cleanups.add(cleanup);
      return () => cleanups.delete(cleanup);
    },
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
