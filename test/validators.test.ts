import { describe, expect, it } from 'vitest';
import {
  appIdSegment,
  fromFlag,
  parseAppId,
  parsePlatforms,
  parseTargetDir,
  parseUsers,
  promptValidator,
  splitList,
  validateAddresses,
  validateAndroidAppId,
  validateApiUrl,
  validateExpiry,
  validateGenericAppId,
  validateIosBundleId,
  validateTargetDir,
} from '../src/validators';
import { defaultAppId, defaultName } from '../src/defaults';
import { UsageError } from '../src/errors';

const checkUsers = (value: string) => fromFlag('--users', value, parseUsers);
const checkTargetDir = (value: string) => fromFlag('the folder argument', value, parseTargetDir);
const checkPlatforms = (value: string) => fromFlag('--platforms', value, parsePlatforms);
const checkAppId = (id: 'android', value: string, flag: string) => fromFlag(flag, value, parseAppId(id, flag === '--app-id'));

describe('Android application id', () => {
  it.each(['com.example.chat', 'io.mesibo.demo_app', 'a.b', 'com.Example.Chat2'])('accepts %s', (id) => {
    expect(validateAndroidAppId(id)).toBeUndefined();
  });
  it.each([
    ['chat', /two segments/],
    ['com..chat', /empty segment/],
    ['com.example.', /empty segment/],
    ['com.1chat', /start with a letter/],
    ['com.my-chat', /letters, digits and _/],
    ['com.example.new', /Java keyword/],
    ['com.class.app', /Java keyword/],
    ['com._x', /start with a letter/],
  ])('rejects %s', (id, why) => {
    expect(validateAndroidAppId(id)).toMatch(why);
  });
});

describe('iOS bundle id', () => {
  it.each(['com.example.chat', 'com.example.my-chat', 'a.1'])('accepts %s', (id) => expect(validateIosBundleId(id)).toBeUndefined());
  it.each(['chat', 'com.example_chat.x', 'com..x', 'com.ex ample', `com.${'a'.repeat(160)}`])('rejects %s', (id) =>
    expect(validateIosBundleId(id)).toBeDefined(),
  );
});

describe('generic appid (web, C++, Python)', () => {
  it('accepts any printable string without spaces', () => expect(validateGenericAppId('my-app:web/1')).toBeUndefined());
  it.each(['', 'my app', 'a\tb', 'x\u0001'])('rejects %j', (id) => expect(validateGenericAppId(id)).toBeDefined());
});

describe('defaults derived from the folder', () => {
  it.each([
    ['my-chat', 'com.example.mychat'],
    ['My Chat App', 'com.example.mychatapp'],
    ['2fast', 'com.example.app2fast'],
    ['new', 'com.example.newapp'],
    ['---', 'com.example.app'],
    ['Ünïcode', 'com.example.unicode'],
  ])('%s -> %s, valid on every platform', (dir, expected) => {
    const id = defaultAppId(dir, '/tmp');
    expect(id).toBe(expected);
    expect(validateAndroidAppId(id)).toBeUndefined();
    expect(validateIosBundleId(id)).toBeUndefined();
  });
  it('names the app from the folder', () => expect(defaultName('my-chat_app', '/tmp')).toBe('My Chat App'));
  it('segment is never empty', () => expect(appIdSegment('')).toBe('app'));
  it('"." takes the name of the folder it stands for', () => {
    expect(defaultAppId('.', '/home/me/Team Chat')).toBe('com.example.teamchat');
    expect(defaultName('.', '/home/me/team-chat')).toBe('Team Chat');
  });
});

describe('users', () => {
  it('splits and trims', () => expect(splitList(' a , b,c ')).toEqual(['a', 'b', 'c']));
  it('accepts quotes, unicode and symbols', () => expect(validateAddresses(['a"b', 'ü@x.com', '+91 98'])).toBeUndefined());
  it.each([
    [['123'], /at least 2/],
    [['1', '1'], /twice/],
    [['1', ''], /empty address/],
    [['1', 'a\u0007'], /control character/],
    [['1', 'x'.repeat(129)], /longer than 128/],
  ])('rejects %j', (list, why) => expect(validateAddresses(list)).toMatch(why));
  it('names the flag, the value and a fix', () => {
    expect(() => checkUsers('123')).toThrowError(/--users "123" needs at least 2 addresses.*like --users 123,456/);
  });
  it('at a prompt, the same words without the flag in front, and a fix that names no flag', () => {
    expect(promptValidator(parseUsers)('123')).toMatch(/^"123" needs at least 2 addresses.*like 123,456\.$/);
    expect(promptValidator(parseUsers)('123')).not.toContain('--');
    expect(promptValidator(parseUsers)('1,2')).toBe(true);
  });
});

describe('expiry, target folder, endpoint', () => {
  it.each(['1', '525600', ' 60 '])('expiry %j ok', (v) => expect(validateExpiry(v)).toBeUndefined());
  it.each(['0', '-5', '1.5', 'year', '', '99999999999'])('expiry %j rejected', (v) => expect(validateExpiry(v)).toBeDefined());

  it.each(['my-chat', 'My Chat', 'sub/dir', '/tmp/x y', '.', 'C:\\Users\\me\\chat'])('folder %j ok', (v) =>
    expect(validateTargetDir(v)).toBeUndefined(),
  );
  it.each(['', '../x', 'a/../../b', 'bad|name', 'what?', 'tab\tname', '/', 'trailing.'])('folder %j rejected', (v) =>
    expect(validateTargetDir(v)).toBeDefined(),
  );
  it('folder error names the value and a fix', () => {
    expect(() => checkTargetDir('../x')).toThrowError(/the folder argument "\.\.\/x" contains a "\.\." segment/);
  });

  it.each(['https://api.mesibo.com/backend/', 'http://10.0.0.5:8080/backend'])('endpoint %s ok', (v) =>
    expect(validateApiUrl(v)).toBeUndefined(),
  );
  it.each(['api.mesibo.com', 'ftp://x/y', 'https://user:pw@host/'])('endpoint %s rejected', (v) =>
    expect(validateApiUrl(v)).toBeDefined(),
  );
});

describe('platform and appid flags', () => {
  it('keeps registry order and ignores case', () => expect(checkPlatforms('Python,web')).toEqual(['web', 'python']));
  it('names an unknown platform and lists the valid ones', () => {
    expect(() => checkPlatforms('web,windows')).toThrowError(/unknown platform "windows".*android, ios, web, cpp, python/);
  });
  it('suggests the per-platform flag when --app-id does not suit a platform', () => {
    const error = (() => {
      try {
        checkAppId('android', 'my-app', '--app-id');
      } catch (e) {
        return e as UsageError;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error!.message).toMatch(/--app-id "my-app" is not valid as the Android application id/);
    expect(error!.message).toMatch(/--android-app-id <id>/);
    expect(error!.exitCode).toBe(2);
  });
  it('reads as plain English, and names no flag at a prompt', () => {
    const atPrompt = promptValidator(parseAppId('android', true));
    expect(atPrompt('com.1chat')).toBe(
      '"com.1chat" is not valid as the Android application id (package name): it has a segment, "1chat", that does not ' +
        'start with a letter. Give one that suits every chosen platform, like com.example.chat.',
    );
    for (const bad of ['chat', 'com.my-chat', 'com.class.x', 'com..x']) expect(atPrompt(bad)).not.toMatch(/--|\bit segment\b/);
  });
});
