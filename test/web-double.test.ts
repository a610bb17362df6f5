/**
 * The audit trail of the web starter's stand-in for mesibo.js (test/doubles/web/mesibo.js), which has to
 * stand in because mesibo.js comes only from mesibo's CDN: every mesibo name it defines or calls cites, on
 * its line, a public mesibo file; each cited file, at the commit the double names, really uses that name
 * (checked in local mirrors of mesibo's repositories where present); the status values are those of
 * mesibo's C header; and the starter names no mesibo global or method that the double lacks.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { citedMirrors, citationsIn, unfoundedCitations, type CitedName as Name } from './support/mesibo-mirrors';

const SOURCE = readFileSync(path.join(import.meta.dirname, 'doubles', 'web', 'mesibo.js'), 'utf8');
/** The starter's page script without its comments, which may name what the code does not use. */
const APP = readFileSync(path.join(import.meta.dirname, '..', 'templates', 'web', 'app.js'), 'utf8').replace(/^\s*\/\/.*$/gm, '').replace(/\/\*[^]*?\*\//g, '');
/** The double's own test controls, which are not mesibo's. */
const CONTROLS = new Set(['mesiboDouble']);


/** Runs the double in a fresh context and lists every name it gives the page, and the callbacks it calls. */
function namesOfTheDouble(): { names: Name[]; globals: Record<string, unknown>; methods: string[]; messageKeys: string[]; sessionKeys: string[] } {
  const context: Record<string, any> = { setTimeout: () => 0 };
  context.window = context;
  vm.runInNewContext(SOURCE, context);
  const globals = Object.fromEntries(Object.entries(context).filter(([k]) => !['window', 'setTimeout'].includes(k) && !CONTROLS.has(k)));
  const api = new context.Mesibo();
  const reported: any[] = [];
  api.setListener({ Mesibo_onMessage: (m: unknown) => reported.push(m), Mesibo_onMessageStatus: (m: unknown) => reported.push(m) });
  const profile = api.getProfile('a', 0);
  const session = profile.createReadSession({});
  const sent = profile.newMessage();
  sent.send();
  context.mesiboDouble.receive('b', 'text');
  context.mesiboDouble.messageStatus(sent.mid, context.MESIBO_MSGSTATUS_READ);
  const methods = Object.getOwnPropertyNames(context.Mesibo.prototype).filter((m) => m !== 'constructor');
  const messageKeys = [...new Set(reported.flatMap((m) => Reflect.ownKeys(m) as string[]))];
  const sessionKeys = Reflect.ownKeys(session) as string[];
  const member = (name: string) => ({ name, pattern: new RegExp(`^\\s*${name}\\s*[:(]`) });
  const names: Name[] = [
    ...Object.keys(globals).map((name) => ({ name, pattern: new RegExp(`window\\.${name} = `) })),
    ...methods.map(member),
    ...[...new Set([...Reflect.ownKeys(profile), ...Reflect.ownKeys(sent), ...messageKeys, ...sessionKeys] as string[])].map(member),
    ...[...new Set([...SOURCE.matchAll(/\.(Mesibo_on\w+)\?\.\(/g)].map((m) => m[1]!))].map((name) => ({ name, pattern: new RegExp(`\\.${name}\\?\\.\\(`) })),
  ];
  return { names, globals, methods, messageKeys, sessionKeys };
}

const { names, globals, methods, messageKeys, sessionKeys } = namesOfTheDouble();

const citations = () => citationsIn(SOURCE, names);

describe("the web double's names", () => {
  it('are the ones the starter needs, and more than a handful (the enumeration itself works)', () => {
    expect(Object.keys(globals).sort()).toEqual([
      'MESIBO_MSGSTATUS_DELIVERED', 'MESIBO_MSGSTATUS_READ', 'MESIBO_MSGSTATUS_SENT',
      'MESIBO_STATUS_AUTHFAIL', 'MESIBO_STATUS_CONNECTFAILURE', 'MESIBO_STATUS_CONNECTING', 'MESIBO_STATUS_ONLINE', 'MESIBO_STATUS_SIGNOUT', 'Mesibo',
    ]);
    expect(methods.sort()).toEqual(['getProfile', 'setAccessToken', 'setAppName', 'setListener', 'start']);
    expect(messageKeys.sort()).toEqual(['getStatus', 'isIncoming', 'isOutgoing', 'isRichMessage', 'message', 'mid', 'profile']);
    expect(sessionKeys.sort()).toEqual(['enableReadReceipt', 'read']);
    expect(names.map((n) => n.name)).toEqual(expect.arrayContaining(['createReadSession', 'Mesibo_onMessageStatus', 'Mesibo_onMessage', 'Mesibo_onConnectionStatus']));
  });

  it('each cite, on every line that defines or calls them, a file in mesibo\'s public repositories', () => {
    const uncited = citations().filter((c) => !c.repo).map((c) => `${c.name}: ${c.line}`);
    expect(uncited).toEqual([]);
  });

  it('name no mesibo global or Mesibo method that the starter uses and the double lacks', () => {
    const usedGlobals = [...new Set([...APP.matchAll(/\b(MESIBO_[A-Z_]+)\b/g)].map((m) => m[1]!))];
    expect(usedGlobals.length).toBeGreaterThan(0);
    expect(usedGlobals.filter((g) => !(g in globals))).toEqual([]);
    expect(APP).toMatch(/new Mesibo\(\)/);
    const usedMethods = [...new Set([...APP.matchAll(/\bapi\.(\w+)\(/g)].map((m) => m[1]!))];
    expect(usedMethods.length).toBeGreaterThan(3);
    expect(usedMethods.filter((m) => !methods.includes(m))).toEqual([]);
  });
});

// The audit against mesibo's own code runs where its mirrors exist (see test/support/mesibo-mirrors.ts).
const { missing, commits, show, reason } = citedMirrors(SOURCE);

describe.skipIf(missing.length > 0)(`the web double against mesibo's code ${reason}`, () => {
  it('names the commit it read each repository at', () => {
    expect(Object.values(commits).every(Boolean), JSON.stringify(commits)).toBe(true);
  });

  it('takes every name from a file that really uses it', () => {
    const cited = citations();
    expect(unfoundedCitations(cited, show)).toEqual([]);
    expect(new Set(cited.map((c) => c.name)).size).toBe(names.length);
  });

  it('gives the MESIBO_STATUS_* and MESIBO_MSGSTATUS_* constants the values of mesibo.h', () => {
    const header = show('mesibo/libmesibo', 'include/mesibo.h');
    const statuses = Object.entries(globals).filter(([k]) => k.startsWith('MESIBO_'));
    expect(statuses.length).toBe(8);
    for (const [name, value] of statuses) expect(new RegExp(`#define ${name}\\s+(-?\\d+)`).exec(header)?.[1], name).toBe(String(value));
  });
});
