/**
 * `workshop announce [dir] --text …`: one message from the host to every seat, through the backend
 * API's `message` op, in batches of BATCH recipients. Read from the ledger alone (no token is needed to
 * send, only the App Token), sent only to the endpoint the workshop was made on, confirmed in this run
 * when it is not mesibo's own. Each batch is recorded as it is answered, so a rerun with the same text
 * after a failure sends only to the seats that did not get it.
 *
 * Never twice: an answer with result true counts as sent, mid or not; `message` is retried only when the
 * request surely did not reach the server (src/backend/client.ts). When the backend fails after the
 * request may have reached it, that batch's seats are recorded as "may have been sent" (`maybe`) and
 * are not sent the same text again either: a seat missing one announcement is better than a seat that
 * gets it twice, and the run says which seats to check.
 *
 * The text goes to every seat: one that holds a secret this run knows (the App Token, a kept user token,
 * 8 characters of either) is refused, not shown and not sent.
 *
 * BATCH = 50: mesibo documents `to` as a comma-separated list without a limit; 50 addresses (at most
 * 128 characters each) keep a request under 7 KB, far below any body limit (the sandbox's is 64 KB),
 * and bound what a failed or retried request concerns. 1000 seats are 20 requests, sent one after
 * another, in seat order.
 */
import path from 'node:path';
import type { AppContext } from '../app-context';
import { UsageError } from '../errors';
import { readAppToken } from '../app-token';
import { withBackend } from '../backend/session';
import { MaybeSentError } from '../backend/message';
import { Redactor, echo } from '../output/redact';
import { fromFlag, parseTargetDir } from '../validators';
import { detectInvocation } from '../report/invocation';
import { LEDGER_FILE, type Announcement } from './ledger';
import { readWorkshop } from './ledger-read';
import { confirmedEndpoint } from './endpoint';
import type { AnnounceArgs } from './workshop-plan';

export const BATCH = 50;
const MAX_TEXT = 2000;

function checkText(text: string | undefined): string {
  if (text === undefined) throw new UsageError('workshop announce needs the message: --text "Welcome to the workshop!"');
  if (text.trim() === '') throw new UsageError('--text is empty. Give the message to send, like --text "Welcome!"');
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text)) throw new UsageError('--text contains a control character; give plain text (line breaks are fine).');
  if (text.length > MAX_TEXT) throw new UsageError(`--text is ${text.length} characters long; keep an announcement under ${MAX_TEXT}.`);
  return text;
}

export async function announce(args: AnnounceArgs, ctx: AppContext): Promise<number> {
  const { printer } = ctx;
  const text = checkText(args.text);
  const dir = args.dir === undefined ? '.' : fromFlag('the folder argument', args.dir, parseTargetDir);
  const root = path.resolve(ctx.cwd, dir);
  const shown = JSON.stringify(dir);
  const opened = readWorkshop(root, shown);
  // The commands below run this tool as it was run this time (a checkout, a tarball, npm).
  const { command } = detectInvocation(ctx.env);
  if (!opened) {
    throw new UsageError(`${shown} holds no ${LEDGER_FILE}: it is not a workshop folder. Set one up first: ${command} workshop <dir> --seats <n>.`);
  }
  const { record } = opened;
  const data = record.data;
  if (data.sandbox) {
    throw new UsageError(
      `${shown} was set up with --sandbox, whose users existed only while that run lasted, so no message can reach them. ` +
        `Set the workshop up against mesibo (or a project's local sandbox, ${command} sandbox <project>, with --api-url) to announce.`,
    );
  }
  const endpoint = confirmedEndpoint(data.endpoint!, args.apiUrl, Boolean(args.allowHttp), `${LEDGER_FILE} in ${shown}`);
  const from = data.host.address;
  if (Object.keys(data.host.issued).length === 0) {
    throw new UsageError(`The host ${echo(from)} was not created yet (mesibo needs an existing sender). Run the workshop command again to finish it.`);
  }
  const created = data.seats.filter((s) => Object.keys(s.issued).length > 0).map((s) => s.address);
  const skipped = data.seats.length - created.length;
  if (created.length === 0) throw new UsageError('No seat has a user yet. Run the workshop command again to finish it, then announce.');

  const secrets = new Redactor();
  for (const perApp of record.tokens.values()) for (const token of perApp.values()) secrets.add(token);
  refuseSecret(text, secrets);

  // Idempotent per text: a rerun after a failure sends only to the seats that did not get it, and never
  // to one that may have got it.
  let entry: Announcement | undefined = data.announcements.find((a) => a.text === text);
  const sentBefore = new Set(entry?.to ?? []);
  const maybeBefore = new Set(entry?.maybe ?? []);
  const recipients = created.filter((a) => !sentBefore.has(a) && !maybeBefore.has(a));
  if (maybeBefore.size > 0) printer.warn(maybeLine(maybeBefore.size, `in an earlier run (${entry!.at})`));
  if (recipients.length === 0) {
    printer.info(`Every seat already got this message (${entry!.at}); nothing was sent. To send again, change the text.`);
    if (args.json) printer.json({ ok: true, from, sentNow: 0, sentBefore: sentBefore.size, maybeSent: maybeBefore.size, batches: [] });
    return 0;
  }
  if (skipped > 0) printer.warn(`${skipped} seats have no user yet and are left out; run the workshop command again to finish them.`);

  const appToken = await readAppToken({ appTokenFile: args.appTokenFile, env: ctx.env, interactive: ctx.interactive, prompt: ctx.prompt });
  ctx.redactor.add(appToken);
  if (appToken.length >= 4) secrets.add(appToken);
  refuseSecret(text, secrets);
  if (!entry) data.announcements.push((entry = { text, at: ctx.now().toISOString(), to: [], mids: [] }));
  const batches: Array<{ to: number; mid: string | null }> = [];
  const release = ctx.interrupts.onInterrupt(() => record.flush());
  try {
    await withBackend({ sandbox: false, endpoint }, appToken, ctx, async (client) => {
      for (let i = 0; i < recipients.length; i += BATCH) {
        const to = recipients.slice(i, i + BATCH);
        let mid: string | undefined;
        try {
          ({ mid } = await client.message({ from, to, message: text }));
        } catch (error) {
          if (error instanceof MaybeSentError) {
            (entry!.maybe ??= []).push(...to);
            record.changed();
            error.message += ` ${maybeLine(to.length, 'now')}`;
          }
          throw error;
        }
        entry!.to.push(...to);
        if (mid !== undefined) entry!.mids.push(mid);
        record.changed();
        batches.push({ to: to.length, mid: mid ?? null });
      }
    });
  } catch (error) {
    const sent = batches.reduce((n, b) => n + b.to, 0) + sentBefore.size;
    const left = created.length - sent - (entry?.maybe?.length ?? 0);
    if (error instanceof Error && sent > 0) error.message += ` It reached ${sent} of ${created.length} seats before it stopped.`;
    if (error instanceof Error && left > 0) error.message += ` Run the same command again to send it to the ${left} others only.`;
    throw error;
  } finally {
    release();
    record.flush();
  }
  const sentNow = batches.reduce((n, b) => n + b.to, 0);
  printer.success(
    `Sent ${JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}…` : text)} from ${from} to ${sentNow} seats in ${batches.length} ` +
      `${batches.length === 1 ? 'request' : 'requests'}${sentBefore.size > 0 ? ` (${sentBefore.size} had it already)` : ''}.`,
  );
  if (args.json) printer.json({ ok: true, from, sentNow, sentBefore: sentBefore.size, maybeSent: maybeBefore.size, skipped, batches });
  return 0;
}

/** Seats recorded as "may have been sent": they are never sent the same text again. */
function maybeLine(count: number, when: string): string {
  return (
    `${count} ${count === 1 ? 'seat' : 'seats'} may have been sent this message ${when} (the backend failed after the request reached it); ` +
    `recorded so in ${LEDGER_FILE}, they are not sent it again, so that no one gets it twice. Ask them, and send what they missed with a new text.`
  );
}

/** The text goes to every seat: a secret in it is refused, named but never shown. */
function refuseSecret(text: string, secrets: Redactor): void {
  if (!secrets.holdsSecret(text)) return;
  throw new UsageError(
    '--text holds a secret this run knows (your App Token, or part of a user access token; not shown). An announcement ' +
      'is delivered to every seat, so it is refused and nothing was sent. Give the message without it.',
  );
}
