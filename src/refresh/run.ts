import type { RefreshArgs } from '../cli/args';
import type { AppContext } from '../context';
import { UsageError } from '../errors';

// Placeholder until refresh lands (issue 6).
export async function runRefresh(_args: RefreshArgs, _ctx: AppContext): Promise<number> {
  throw new UsageError('refresh is not available yet.');
}
