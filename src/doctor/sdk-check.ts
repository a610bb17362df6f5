/**
 * The mesibo SDK a starter builds with. Against the version this create-mesibo-app pins, a difference is
 * a hint only; but a build that src/sdk-versions.json records as refusing to start after a date
 * (`refusesAfter`: mesibo 2.7.1's libmesibo, which the Python package bundles and the C++ starter links,
 * stops on 2026-11-21) is a problem from that date on: the starter cannot log in, whatever else is right,
 * and the user should learn it here rather than by debugging a silent start. The date is compared with
 * the run's clock (injectable, so both sides of it are tested).
 */
import { PLATFORMS, type PlatformId } from '../platforms';
import { catalogVersions } from './android-build';
import { MAX_SOURCE_BYTES } from './build-appids';
import { failed, passed, type Fixes, type Outcome } from './findings';
import { shown } from './platform-checks';
import { readInside, unreadableWhy } from './safe-read';

interface Pin {
  readonly file: string;
  readonly read: (text: string) => string | undefined;
  /** How to pin version `v` in `file`; absent where the file only records the build it was made for. */
  readonly edit?: (v: string) => string;
  /** What to do once a build refuses to start (with the file as the user should type it). */
  readonly refused: (file: string) => string;
}

/** Where each starter names mesibo's SDK, and how to read it. Web loads mesibo's CDN, the token server needs none. */
const PINS: Partial<Record<PlatformId, Pin>> = {
  android: {
    file: 'android/gradle/libs.versions.toml',
    read: (t) => catalogVersions(t).get('mesibo'),
    edit: (v) => `mesibo = "${v}" under [versions]`,
    refused: (f) => `write a newer mesibo version in ${f} once mesibo publishes one`,
  },
  ios: {
    file: 'ios/Podfile',
    read: (t) => firstLine(t, /^[ \t]*pod[ \t]+['"]mesibo['"][ \t]*,[ \t]*['"]([^'"\n]+)['"]/),
    edit: (v) => `pod 'mesibo', '${v}'`,
    refused: (f) => `write a newer pod 'mesibo' version in ${f} once mesibo publishes one, then pod install`,
  },
  python: {
    file: 'python/requirements.txt',
    read: (t) => firstLine(t, /^[ \t]*mesibo[ \t]*==[ \t]*([^\s#;]+)/i),
    edit: (v) => `mesibo==${v}`,
    refused: (f) =>
      `pip index versions mesibo   # once it lists a newer build than the pinned one, write mesibo==<that version> in ${f} and pip install -r ${f}; until then use the web, Android or iOS starter`,
  },
  cpp: {
    // The C++ starter links the libmesibo installed on the machine; main.cpp records the build it was made for.
    file: 'cpp/main.cpp',
    read: (t) => firstLine(t, /^[ \t]*constexpr[ \t]+const[ \t]+char[ \t]*\*[ \t]*kMesiboVersion[ \t]*=[ \t]*"([^"\\]+)"/),
    refused: () => 'install a newer libmesibo once mesibo publishes one (cpp/README.md says how); until then use the web, Android or iOS starter',
  },
};

export function sdkCheck(root: string, id: PlatformId, now: Date, fixes: Fixes): Outcome | undefined {
  const pin = PINS[id];
  const sdk = PLATFORMS[id].sdk;
  const current = sdk.mesibo;
  if (!pin || current === undefined) return undefined;
  const read = readInside(root, pin.file, MAX_SOURCE_BYTES);
  const pinned = read.kind === 'text' ? pin.read(read.text) : undefined;
  // A build that is not newer than a refusing one refuses too (libmesibo's check is "API version too old").
  const version = pinned ?? (pin.edit ? undefined : current);
  const refusesAfter = sdk.refusesAfter;
  if (refusesAfter !== undefined && version !== undefined && !newer(version, current)) {
    if (now.getTime() >= Date.parse(`${refusesAfter}T00:00:00Z`)) {
      const where = pinned === undefined ? `the ${id} starter is made for mesibo ${shown(version)}` : `${pin.file} ${pin.edit ? 'pins' : 'is made for'} mesibo ${shown(version)}`;
      return failed(id, 'sdk', {
        severity: 'problem',
        message: `${where}, a build that refuses to start since ${refusesAfter}: ${sdk.refusalNote ?? 'mesibo says the API version is too old'}, so the starter cannot log in.`,
        fix: pin.refused(fixes.path(pin.file)),
      });
    }
    if (pinned === current || !pin.edit) return passed(id, 'sdk', `mesibo ${shown(version)}, as this create-mesibo-app pins; this build refuses to start after ${refusesAfter}`);
  }
  if (!pin.edit) return undefined;
  if (pinned === current) return passed(id, 'sdk', `mesibo ${current}, as this create-mesibo-app pins`);
  const message =
    pinned === undefined
      ? `${read.kind === 'text' ? `${pin.file} pins no mesibo version` : unreadableWhy(read, pin.file)}; this create-mesibo-app pins ${current}.`
      : `${pin.file} pins mesibo ${shown(pinned)}; this create-mesibo-app pins ${current}${newer(pinned, current) ? ' (yours is newer)' : ''}.`;
  return failed(id, 'sdk', { severity: 'hint', message, fix: `to build with ${current}, write ${pin.edit(current)} in ${pin.file}` });
}

/**
 * The first capture of `pattern` on any line of `text`, line by line: one multi-line expression whose `\s*`
 * crosses line ends took time quadratic in a file of empty lines.
 */
function firstLine(text: string, pattern: RegExp): string | undefined {
  for (const line of text.split('\n')) {
    const m = pattern.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

function newer(a: string, b: string): boolean {
  const parts = (v: string) => v.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
}
