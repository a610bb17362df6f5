/** mesibo.json as refresh reads it (every field checked, named when wrong) and writes it back. */
import { describe, expect, it } from 'vitest';
import { parseManifest, updatedManifestText as updatedManifest, type Manifest } from '../src/plan/manifest';
import { UsageError } from '../src/errors';

const valid = () => ({
  manifestVersion: 1,
  name: 'Demo Chat',
  endpoint: null as string | null,
  sandbox: true,
  tokenExpiryMinutes: 525600,
  tokensExpireAt: '2027-01-01T00:00:00.000Z',
  platforms: [
    { id: 'android', appId: 'com.example.demo', dir: 'android', secretFile: 'android/mesibo.properties' },
    { id: 'web', appId: 'demo-web', dir: 'web', secretFile: 'web/config.js' },
  ],
  users: [
    { address: '123', name: 'User 123', uid: '1001' },
    { address: '456', name: 'User 456', uid: '1002' },
  ],
});

function parse(value: unknown): ReturnType<typeof parseManifest> {
  return parseManifest(typeof value === 'string' ? value : JSON.stringify(value), 'mesibo.json in "demo"');
}

function problem(value: unknown): string {
  try {
    parse(value);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected the manifest to be refused');
}

describe('parseManifest', () => {
  it('reads what create writes', () => {
    const m = parse(valid());
    expect(m).toMatchObject({ name: 'Demo Chat', endpoint: null, sandbox: true, tokenExpiryMinutes: 525600 });
    expect(m.platforms).toEqual([
      { id: 'android', appId: 'com.example.demo' },
      { id: 'web', appId: 'demo-web' },
    ]);
    expect(m.users).toEqual([
      { address: '123', name: 'User 123' },
      { address: '456', name: 'User 456' },
    ]);
  });

  it('accepts a byte-order mark and a recorded endpoint', () => {
    const m = parse(`\uFEFF${JSON.stringify({ ...valid(), sandbox: false, endpoint: 'http://host/backend' })}`);
    expect(m.endpoint).toBe('http://host/backend');
  });

  const cases: Array<[string, (m: any) => unknown, RegExp]> = [
    ['broken JSON', () => '{"manifestVersion":', /is not valid JSON/],
    ['an array', () => [], /the top level must be a JSON object/],
    ['version 0', (m) => ({ ...m, manifestVersion: 0 }), /"manifestVersion" is 0; this create-mesibo-app reads version 1/],
    ['a newer version', (m) => ({ ...m, manifestVersion: 7 }), /manifestVersion 7, written by a newer create-mesibo-app/],
    ['an empty name', (m) => ({ ...m, name: ' ' }), /"name" must be a non-empty text/],
    ['sandbox as text', (m) => ({ ...m, sandbox: 'yes' }), /"sandbox" must be true or false/],
    ['no endpoint outside the sandbox', (m) => ({ ...m, sandbox: false }), /"endpoint" is missing/],
    ['an endpoint with a password', (m) => ({ ...m, sandbox: false, endpoint: 'https://u:p@h/' }), /"endpoint" .* must not carry a user name or password/],
    ['a fractional expiry', (m) => ({ ...m, tokenExpiryMinutes: 1.5 }), /"tokenExpiryMinutes" must be a whole number/],
    ['an expiry in quotes', (m) => ({ ...m, tokenExpiryMinutes: '60' }), /"tokenExpiryMinutes" must be a whole number/],
    ['no platforms', (m) => ({ ...m, platforms: [] }), /"platforms" must be a non-empty list/],
    ['a platform twice', (m) => ({ ...m, platforms: [m.platforms[1], m.platforms[1]] }), /"platforms\[1\]\.id" lists web a second time/],
    ['an Android appid with a keyword', (m) => ({ ...m, platforms: [{ ...m.platforms[0], appId: 'com.class.x' }] }), /"platforms\[0\]\.appId" "com\.class\.x" is not valid as the Android application id .*Java keyword/],
    ['a moved folder', (m) => ({ ...m, platforms: [{ ...m.platforms[1], dir: '../web' }] }), /"platforms\[0\]\.dir" must be "web" for web/],
    ['a moved token file', (m) => ({ ...m, platforms: [{ ...m.platforms[1], secretFile: 'web/../../x' }] }), /"platforms\[0\]\.secretFile" must be "web\/config\.js"/],
    ['users not a list', (m) => ({ ...m, users: {} }), /"users" must be a list/],
    ['a numeric address', (m) => ({ ...m, users: [{ ...m.users[0], address: 123 }, m.users[1]] }), /"users\[0\]\.address" must be a text/],
    ['a duplicate address', (m) => ({ ...m, users: [m.users[0], m.users[0]] }), /"users" lists "123" twice/],
    ['a name with a control character', (m) => ({ ...m, users: [m.users[0], { ...m.users[1], name: 'a\u0007' }] }), /"users\[1\]\.name"/],
  ];
  it.each(cases)('refuses %s, naming the field', (_what, breakIt, message) => {
    const text = problem(breakIt(valid()));
    expect(text).toMatch(message);
    expect(text).toMatch(/Nothing was changed/);
  });
});

describe('updatedManifest', () => {
  it('replaces only what a refresh changes and keeps unknown fields and key order', () => {
    const raw = { ...valid(), notes: 'mine', users: valid().users.map((u) => ({ ...u, team: 'a' })) };
    const fresh = {
      ...valid(),
      endpoint: 'https://api.mesibo.com/backend/',
      sandbox: false,
      tokenExpiryMinutes: 60,
      tokensExpireAt: '2030-01-01T00:00:00.000Z',
      users: [
        { address: '123', name: 'User 123', uid: '9' },
        { address: '456', name: 'User 456', uid: '10' },
      ],
    } as Manifest;
    const out = JSON.parse(updatedManifest(raw, fresh));
    expect(Object.keys(out)).toEqual(Object.keys(raw));
    expect(out).toEqual({
      ...raw,
      endpoint: 'https://api.mesibo.com/backend/',
      sandbox: false,
      tokenExpiryMinutes: 60,
      tokensExpireAt: '2030-01-01T00:00:00.000Z',
      users: [
        { address: '123', name: 'User 123', uid: '9', team: 'a' },
        { address: '456', name: 'User 456', uid: '10', team: 'a' },
      ],
    });
    expect(updatedManifest(raw, fresh).endsWith('}\n')).toBe(true);
  });
});
