/**
 * The platform registry: the single source of each platform's flags, prompt choice, appid rules,
 * template folder, secret file and next steps. Adding a platform = one entry here + templates/<id>/.
 */
import SDK_VERSIONS from './sdk-versions.json';

export const PLATFORM_IDS = ['android', 'ios', 'web', 'cpp', 'python', 'server'] as const;
export type PlatformId = (typeof PLATFORM_IDS)[number];

/**
 * Android's package rules, Apple's bundle id rules, or any setAppId()/setAppName() string; 'none' for the
 * token server, which logs nobody in itself: it mints for the appids of the project's other platforms.
 */
export type AppIdRule = 'java-package' | 'bundle-id' | 'app-name' | 'none';

export interface Platform {
  id: PlatformId;
  /** Shown in prompts, help and summaries. */
  label: string;
  /** What the appid is called on this platform, for help text and errors. */
  appIdMeaning: string;
  /** Per-platform override flag, e.g. --android-app-id. */
  appIdFlag: `--${PlatformId}-app-id`;
  /** Which appid rules apply (src/validators.ts holds them). A platform with 'none' has no appid flag and no user tokens. */
  appIdRule: AppIdRule;
  /** Chosen when --platforms is not given, and ticked in the prompt; the token server is asked for by name. */
  byDefault: boolean;
  /** Folder under templates/ and under the generated project. */
  dir: PlatformId;
  /**
   * The git-ignored 0600 secret file, relative to the platform folder; its template is `<secretFile>.hbs`.
   * The users' tokens for a starter; the token server's development passcode (it holds no user token).
   */
  secretFile: string;
  /** Pinned mesibo SDK (and toolchain) versions from src/sdk-versions.json: templates read them as `platform.sdk`. */
  sdk: Readonly<Record<string, string>>;
  /** Commands shown at the end of a run, relative to the project root. */
  nextSteps: (ctx: { dir: string; firstUser: string; secondUser: string; start?: string }) => string[];
  // ctx values arrive shell-quoted: `dir` is the platform folder as typed from the current directory;
  // `start` runs a package.json start script with the package manager that ran the tool (default npm).
  // The lines run in order in one shell, so a line may rely on the `cd` of the one before; a `cd` stands
  // on a line of its own (cmd and Windows PowerShell 5 have no `&&`).
}

/** mesibo's installer for the C++ library (mesibo/libmesibo install.sh; its README gives this command). */
export const LIBMESIBO_INSTALL = 'curl -s https://raw.githubusercontent.com/mesibo/libmesibo/master/install.sh | sudo bash -';

/**
 * One line for a pinned mesibo build that refuses to start after a known date (`refusesAfter` in
 * src/sdk-versions.json), so that a user learns it before debugging a login that cannot happen.
 */
export function refusalNote(sdk: Readonly<Record<string, string>>): string[] {
  if (!sdk.refusesAfter) return [];
  return [`# Note: mesibo ${sdk.mesibo} refuses to start after ${sdk.refusesAfter}; the starter then says so: a newer mesibo build is needed`];
}

export const PLATFORMS: Record<PlatformId, Platform> = {
  android: {
    id: 'android',
    sdk: SDK_VERSIONS.android,
    label: 'Android (Kotlin)',
    appIdMeaning: 'the Android application id (package name)',
    appIdFlag: '--android-app-id',
    appIdRule: 'java-package',
    dir: 'android',
    byDefault: true,
    secretFile: 'mesibo.properties',
    nextSteps: ({ dir }) => [`# Open ${dir} in Android Studio, then press Run`],
  },
  ios: {
    id: 'ios',
    sdk: SDK_VERSIONS.ios,
    label: 'iOS (SwiftUI)',
    appIdMeaning: 'the iOS bundle identifier',
    appIdFlag: '--ios-app-id',
    appIdRule: 'bundle-id',
    dir: 'ios',
    byDefault: true,
    secretFile: 'Config/Secrets.xcconfig',
    // Lines run in order in one shell: the second starts where the first cd'd to.
    nextSteps: ({ dir }) => [`cd ${dir}`, 'pod install', 'open MesiboStarter.xcworkspace   # then press Run in Xcode'],
  },
  web: {
    id: 'web',
    sdk: SDK_VERSIONS.web,
    label: 'Web (JavaScript)',
    appIdMeaning: 'the app name passed to setAppName()',
    appIdFlag: '--web-app-id',
    appIdRule: 'app-name',
    dir: 'web',
    byDefault: true,
    secretFile: 'config.js',
    nextSteps: ({ dir, start }) => [`cd ${dir}`, start ?? 'npm start'],
  },
  cpp: {
    id: 'cpp',
    sdk: SDK_VERSIONS.cpp,
    label: 'C++ (Linux, macOS)',
    appIdMeaning: 'the appid passed to setAppId()',
    appIdFlag: '--cpp-app-id',
    appIdRule: 'app-name',
    dir: 'cpp',
    byDefault: true,
    secretFile: 'mesibo.conf',
    // mesibo's library first (once per machine): without it the first cmake stops at once.
    nextSteps: ({ dir, firstUser, secondUser }) => [
      ...refusalNote(SDK_VERSIONS.cpp),
      `${LIBMESIBO_INSTALL}   # mesibo's library, once per machine`,
      `cd ${dir}`,
      'cmake -S . -B build',
      'cmake --build build',
      `./build/mesibo-starter --user ${firstUser} --to ${secondUser}`,
    ],
  },
  python: {
    id: 'python',
    sdk: SDK_VERSIONS.python,
    label: 'Python',
    appIdMeaning: 'the appid passed to setAppId()',
    appIdFlag: '--python-app-id',
    appIdRule: 'app-name',
    dir: 'python',
    byDefault: true,
    secretFile: 'config.json',
    // A virtual environment: Debian 12+, Ubuntu 23.04+ and Homebrew refuse pip in the system Python (PEP 668).
    nextSteps: ({ dir, firstUser, secondUser }) => [
      ...refusalNote(SDK_VERSIONS.python),
      `cd ${dir}`,
      'python3 -m venv .venv   # Windows: py -m venv .venv',
      '. .venv/bin/activate   # Windows: .venv\\Scripts\\activate',
      'python -m pip install -r requirements.txt',
      `python main.py --user ${firstUser} --to ${secondUser}`,
    ],
  },
  server: {
    id: 'server',
    sdk: {},
    label: 'Token server (Node.js, TypeScript)',
    appIdMeaning: 'none of its own: it mints tokens for the appids of the other platforms in mesibo.json',
    appIdFlag: '--server-app-id', // refused with a reason (src/plan/create-plan.ts); help lists APP_ID_PLATFORMS' flags only
    appIdRule: 'none',
    dir: 'server',
    byDefault: false,
    secretFile: '.passcode',
    // Starts without an App Token too: it then answers 503 and says how to give one (server/README.md).
    nextSteps: ({ dir, start }) => [`cd ${dir}`, 'npm install', `${start ?? 'npm start'}   # needs MESIBO_APP_TOKEN, see server/README.md`],
  },
};

export const ALL_PLATFORMS: readonly Platform[] = PLATFORM_IDS.map((id) => PLATFORMS[id]);
/** Where the token server listens by default (templates/server/config.json's port, on loopback). */
export const TOKEN_SERVER_URL = 'http://127.0.0.1:8787';

/** What --platforms and the prompt choose when nothing is said: every starter, not the token server. */
export const DEFAULT_PLATFORM_IDS: readonly PlatformId[] = ALL_PLATFORMS.filter((p) => p.byDefault).map((p) => p.id);
/** Platforms with an appid (and an appid flag) and user tokens: all but the token server. */
export const APP_ID_PLATFORMS: readonly Platform[] = ALL_PLATFORMS.filter((p) => p.appIdRule !== 'none');

/** A platform that carries users' tokens for an appid of its own (the token server mints them instead). */
export function hasAppId(id: PlatformId): boolean {
  return PLATFORMS[id].appIdRule !== 'none';
}

export function isPlatformId(value: string): value is PlatformId {
  return (PLATFORM_IDS as readonly string[]).includes(value);
}
