/**
 * The sandbox's real-time relay: the server side of the browser script (mesibo.js beside this file). A page
 * connects over WebSocket, says who it is with the appid and access token it gave setAppName() and
 * setAccessToken(), and from then on messages are carried between users with mesibo's message statuses.
 *
 * Frames are JSON objects with a `t` (this sandbox's own wire format; mesibo's is not public):
 *   page → sandbox  hello {appid, token} · send {mid, to, text} · ack {mid, from} · read {mid, from}
 *   sandbox → page  status {status} · msg {mid, from, text} · msgstatus {mid, peer, status}
 * `status` values are mesibo's MESIBO_STATUS_* and MESIBO_MSGSTATUS_* (mesibo/libmesibo include/mesibo.h).
 *
 * Everything is in memory: a message for a user with no page open waits until one connects, for as long as
 * this run lasts. Memory stays bounded: a message is forgotten once read, and the oldest beyond a cap.
 */
import type { WebSocket } from 'ws';
import type { SandboxKey } from './key-file';
import { checkToken, tagIndex } from './tokens';

// mesibo/libmesibo include/mesibo.h
export const MESIBO_STATUS_ONLINE = 1;
export const MESIBO_STATUS_AUTHFAIL = 4;
export const MESIBO_MSGSTATUS_SENT = 1;
export const MESIBO_MSGSTATUS_DELIVERED = 2;
export const MESIBO_MSGSTATUS_READ = 3;
/** To an address that is no user of this project: it could never log in to receive it. */
export const MESIBO_MSGSTATUS_INVALIDDEST = 0x83;

/** The close code after AUTHFAIL: the script then stops retrying, as mesibo does on a bad token. */
export const AUTHFAIL_CLOSE = 4004;
/** Messages whose statuses are still routed back to their sender, at most (oldest forgotten first). */
const MAX_TRACKED = 100_000;
/** Frames kept for one user with no page open, at most (oldest dropped first). */
const MAX_WAITING = 10_000;
const MAX_TEXT = 64 * 1024;

type Frame = Record<string, unknown>;

export interface Relay {
  /** Takes over a socket the HTTP server accepted (Host and Origin already checked). */
  accept(socket: WebSocket): void;
  /** Delivers a message from the backend API's `message` op; statuses go nowhere (no page sent it). */
  post(from: string, to: readonly string[], text: string): void;
  /** Users the key file gained (the backend API added them): their tokens are checked from now on. */
  usersChanged(): void;
  /** Pages connected now, per address. */
  readonly online: ReadonlyMap<string, ReadonlySet<WebSocket>>;
  close(): void;
}

/** What the standalone sandbox tells its user: a page signed in, or was refused (never a token). */
export type RelayEvent = { kind: 'online'; address: string } | { kind: 'authfail'; reason: 'shape' | 'unknown' | 'expired' };

/** How long a socket may stay open without saying who it is. */
const HELLO_MS = 10_000;

export function createRelay(key: SandboxKey, onEvent?: (event: RelayEvent) => void, now: () => Date = () => new Date()): Relay {
  let tags = tagIndex(key);
  const online = new Map<string, Set<WebSocket>>();
  const waiting = new Map<string, string[]>();
  /** `${to}\0${from}\0${mid}` → true while its sender may still be told delivered/read; false: nobody to tell. */
  const tracked = new Map<string, boolean>();
  let midCounter = 0;

  /**
   * Messages handed to an address's pages that none of them has acknowledged yet, by tracking id. A page
   * can close while a message is on its way (a tab shut at that moment): when the address's last page
   * closes, these go back to `waiting`, so the next page gets them. The page drops one it already has.
   */
  const unacked = new Map<string, Map<string, string>>();

  function keep(address: string, text: string): void {
    let queue = waiting.get(address);
    if (!queue) waiting.set(address, (queue = []));
    queue.push(text);
    if (queue.length > MAX_WAITING) queue.shift();
  }

  /** To every page of `address`, or kept for its next page. `id`: a message's tracking id (statuses have none). */
  function toUser(address: string, frame: Frame, id?: string): void {
    const text = JSON.stringify(frame);
    const sockets = online.get(address);
    if (!sockets || sockets.size === 0) return keep(address, text);
    if (id !== undefined) {
      let pending = unacked.get(address);
      if (!pending) unacked.set(address, (pending = new Map()));
      pending.set(id, text);
      if (pending.size > MAX_WAITING) pending.delete(pending.keys().next().value!);
    }
    for (const socket of sockets) socket.send(text);
  }

  function track(id: string, statuses: boolean): void {
    tracked.set(id, statuses);
    if (tracked.size > MAX_TRACKED) tracked.delete(tracked.keys().next().value!);
  }

  function carry(from: string, to: string, mid: number, text: string, statuses: boolean): void {
    const id = `${to}\0${from}\0${mid}`;
    track(id, statuses);
    toUser(to, { t: 'msg', mid, from, text }, id);
  }

  /** A recipient's page says it got (or read) message `mid` from `from`: tell the sender. */
  function statusBack(reader: string, frame: Frame, status: number): void {
    const { mid, from } = frame;
    if (typeof mid !== 'number' || typeof from !== 'string') return;
    const id = `${reader}\0${from}\0${mid}`;
    unacked.get(reader)?.delete(id);
    const statuses = tracked.get(id);
    if (statuses === undefined) return;
    if (status === MESIBO_MSGSTATUS_READ) tracked.delete(id);
    if (statuses) toUser(from, { t: 'msgstatus', mid, peer: reader, status });
  }

  function signedIn(socket: WebSocket, address: string): void {
    let sockets = online.get(address);
    if (!sockets) online.set(address, (sockets = new Set()));
    sockets.add(socket);
    socket.send(JSON.stringify({ t: 'status', status: MESIBO_STATUS_ONLINE }));
    const queue = waiting.get(address) ?? [];
    waiting.delete(address);
    for (const text of queue) {
      const frame = JSON.parse(text) as Frame;
      toUser(address, frame, frame.t === 'msg' ? `${address}\0${String(frame.from)}\0${String(frame.mid)}` : undefined);
    }
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size > 0) return;
      online.delete(address);
      // The last page went away: whatever it had not acknowledged waits for the next one, in order.
      const pending = unacked.get(address);
      unacked.delete(address);
      const back = [...(pending?.values() ?? []), ...(waiting.get(address) ?? [])];
      waiting.delete(address);
      for (const text of back) keep(address, text);
    });
  }

  function onFrame(socket: WebSocket, address: string, frame: Frame): void {
    if (frame.t === 'send') {
      const { mid, to, text } = frame;
      if (!Number.isSafeInteger(mid) || typeof to !== 'string' || to === '' || typeof text !== 'string' || text.length > MAX_TEXT) return;
      if (!key.users.has(to)) return socket.send(JSON.stringify({ t: 'msgstatus', mid, peer: to, status: MESIBO_MSGSTATUS_INVALIDDEST }));
      carry(address, to, mid as number, text, true);
      socket.send(JSON.stringify({ t: 'msgstatus', mid, peer: to, status: MESIBO_MSGSTATUS_SENT }));
    } else if (frame.t === 'ack') statusBack(address, frame, MESIBO_MSGSTATUS_DELIVERED);
    else if (frame.t === 'read') statusBack(address, frame, MESIBO_MSGSTATUS_READ);
  }

  function accept(socket: WebSocket): void {
    let address: string | undefined;
    const silent = setTimeout(() => address === undefined && socket.close(1008, 'hello first'), HELLO_MS);
    silent.unref();
    socket.on('close', () => clearTimeout(silent));
    socket.on('message', (data, isBinary) => {
      let frame: Frame;
      try {
        frame = JSON.parse(isBinary ? '' : String(data)) as Frame;
      } catch {
        return socket.close(1003, 'frames are JSON text');
      }
      if (typeof frame !== 'object' || frame === null) return socket.close(1003, 'frames are JSON objects');
      if (address !== undefined) return onFrame(socket, address, frame);
      if (frame.t !== 'hello') return socket.close(1008, 'hello first');
      const check =
        typeof frame.appid === 'string' && typeof frame.token === 'string'
          ? checkToken(key, tags, frame.appid, frame.token, now())
          : ({ ok: false, reason: 'shape' } as const);
      if (!check.ok) {
        onEvent?.({ kind: 'authfail', reason: check.reason });
        socket.send(JSON.stringify({ t: 'status', status: MESIBO_STATUS_AUTHFAIL }));
        return socket.close(AUTHFAIL_CLOSE, `AUTHFAIL (${check.reason})`);
      }
      address = check.address;
      onEvent?.({ kind: 'online', address });
      signedIn(socket, address);
    });
    socket.on('error', () => socket.terminate());
  }

  return {
    accept,
    post(from, to, text) {
      const mid = Date.now() * 1000 + (midCounter++ % 1000);
      for (const address of new Set(to)) if (key.users.has(address)) carry(from, address, mid, text, false);
    },
    usersChanged() {
      tags = tagIndex(key);
    },
    online,
    close() {
      for (const sockets of online.values()) for (const socket of sockets) socket.terminate();
      online.clear();
    },
  };
}
