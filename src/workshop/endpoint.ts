/**
 * Where the App Token may go for a workshop that already exists (a rerun, `announce`): only to an
 * endpoint chosen in this run, as for refresh (issue 12). mesibo's default backend needs no
 * confirmation; any other recorded endpoint is used only when `--api-url` names it again, so a
 * workshop.json edited to point elsewhere cannot collect the App Token. `--api-url` naming another
 * backend than the recorded one is refused too: the workshop's users do not exist there.
 */
import { UsageError } from '../errors';
import { DEFAULT_API_URL } from '../defaults';
import { checkEndpoint, displayUrl, judgeEndpoint } from '../backend/endpoint-policy';
import { echo } from '../output/redact';

function same(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

export function confirmedEndpoint(recorded: string, given: string | undefined, allowHttp: boolean, ledgerShown: string): string {
  const shown = echo(displayUrl(recorded), 80);
  if (given !== undefined) {
    checkEndpoint(given, { flag: '--api-url', allowHttp });
    if (same(given, recorded)) return recorded;
    throw new UsageError(
      `--api-url ${echo(displayUrl(given), 80)} is not the backend this workshop's users were created on (${shown}, recorded ` +
        `in ${ledgerShown}). Give --api-url ${shown} to use that one, or start a new workshop in another folder. Nothing was sent.`,
    );
  }
  if (same(recorded, DEFAULT_API_URL)) return recorded;
  const verdict = judgeEndpoint(recorded, { allowHttp });
  const caveat = verdict.ok ? '' : ` (it ${verdict.problem})`;
  throw new UsageError(
    `This workshop's users were created on ${shown}, recorded in ${ledgerShown}, which is not mesibo's own backend. The App Token ` +
      `goes only to an endpoint chosen in this run: give --api-url ${shown} again to confirm it${caveat}. Nothing was sent.`,
  );
}
