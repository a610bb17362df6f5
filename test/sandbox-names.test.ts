/**
 * Issue 21: "the emulator holds no names of its own making". Every mesibo name the browser script
 * (src/sandbox/mesibo.js) defines or calls cites, on its line, a public mesibo file; each cited file, at the
 * commit the script names, really uses that name (checked in local mirrors of mesibo's repositories, see
 * test/support/mesibo-mirrors.ts); the status values are those of mesibo's C header; and the names the web
 * double (test/doubles/web/mesibo.js) also defines cite the same kind of source there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { citedMirrors, citationsIn, unfoundedCitations, type CitedName as Name } from './support/mesibo-mirrors';

const SOURCE = readFileSync(path.join(import.meta.dirname, '..', 'src', 'sandbox', 'mesibo.js'), 'utf8');
const DOUBLE = readFileSync(path.join(import.meta.dirname, 'doubles', 'web', 'mesibo.js'), 'utf8');


/** Runs the script in a bare context and lists every name it gives a page, and the callbacks it calls. */
function namesOfTheScript() {
  const context: Record<string, any> = { document: { body: null, addEventListener() {} }, setTimeout: () => 0, clearTimeout() {} };
  context.window = context;
  vm.runInNewContext(SOURCE, context);
  const globals = Object.fromEntries(Object.entries(context).filter(([k]) => !['window', 'document', 'setTimeout', 'clearTimeout'].includes(k)));
  const api = new context.Mesibo();
  const profile = api.getProfile('a', 0);
  const message = profile.newMessage();
  const session = profile.createReadSession({});
  const methods = Object.getOwnPropertyNames(context.Mesibo.prototype).filter((m) => m !== 'constructor');
  const member = (name: string) => ({ name, pattern: new RegExp(`^\\s*${name}\\s*[:(,]`) });
  const keys = [...new Set([...Reflect.ownKeys(profile), ...Reflect.ownKeys(message), ...Reflect.ownKeys(session)] as string[])];
  const callbacks = [...new Set([...SOURCE.matchAll(/\.(Mesibo_on\w+)\?\.\(/g)].map((m) => m[1]!))];
  const names: Name[] = [
    ...Object.keys(globals).map((name) => ({ name, pattern: new RegExp(`window\\.${name} = `) })),
    ...methods.map(member),
    ...keys.map(member),
    ...callbacks.map((name) => ({ name, pattern: new RegExp(`\\.${name}\\?\\.\\(`) })),
  ];
  return { names, globals, methods, keys, callbacks };
}

const { names, globals, methods, keys, callbacks } = namesOfTheScript();

const citations = () => citationsIn(SOURCE, names);

describe("the sandbox script's names", () => {
  it('are the ones the contract lists (the enumeration itself works)', () => {
    expect(methods.sort()).toEqual(['getProfile', 'setAccessToken', 'setAppName', 'setDatabase', 'setListener', 'start', 'stop']);
    expect(keys.sort()).toEqual(
      ['createReadSession', 'enableReadReceipt', 'getNameOrAddress', 'getStatus', 'isIncoming', 'isOutgoing', 'isRealtimeMessage', 'message', 'mid', 'newMessage', 'profile', 'read', 'send'].sort(),
    );
    expect(callbacks.sort()).toEqual(['Mesibo_onConnectionStatus', 'Mesibo_onMessage', 'Mesibo_onMessageStatus']);
    expect(Object.keys(globals)).toContain('Mesibo');
    expect(Object.keys(globals).filter((g) => g.startsWith('MESIBO_')).length).toBe(12);
  });

  it("each cite, on every line that defines or calls them, a file in mesibo's public repositories", () => {
    expect(citations().filter((c) => !c.repo).map((c) => `${c.name}: ${c.line}`)).toEqual([]);
  });

  it('include every mesibo global and Mesibo method of the web double, with the same values', () => {
    const context: Record<string, any> = { setTimeout: () => 0 };
    context.window = context;
    vm.runInNewContext(DOUBLE, context);
    for (const [name, value] of Object.entries(context).filter(([k]) => k.startsWith('MESIBO_'))) expect(globals[name], name).toBe(value);
    const doubleMethods = Object.getOwnPropertyNames(context.Mesibo.prototype).filter((m) => m !== 'constructor');
    expect(doubleMethods.filter((m) => !methods.includes(m))).toEqual([]);
  });
});

const { missing, commits, show, reason } = citedMirrors(SOURCE);

describe.skipIf(missing.length > 0)(`the sandbox script against mesibo's code ${reason}`, () => {
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
    const constants = Object.entries(globals).filter(([k]) => k.startsWith('MESIBO_'));
    expect(constants.length).toBe(12);
    for (const [name, value] of constants) {
      const defined = new RegExp(`#define ${name}\\s+(-?(?:0x[0-9a-fA-F]+|\\d+))`).exec(header)?.[1];
      expect(defined === undefined ? undefined : Number(defined), name).toBe(value);
    }
  });

  it("gives the relay's constants (src/sandbox/relay.ts) the values of mesibo.h too", async () => {
    const header = show('mesibo/libmesibo', 'include/mesibo.h');
    const relay = Object.entries(await import('../src/sandbox/relay')).filter(([k]) => k.startsWith('MESIBO_'));
    expect(relay.length).toBe(6);
    for (const [name, value] of relay) expect(Number(new RegExp(`#define ${name}\\s+(0x[0-9a-fA-F]+|\\d+)`).exec(header)?.[1]), name).toBe(value);
  });
});
