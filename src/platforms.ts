/**
 * The platform registry: the single source of each platform's flags, prompt choice, appid rules,
 * template folder, secret file and next steps. Adding a platform = one entry here + templates/<id>/.
 */
import SDK_VERSIONS from './sdk-versions.json';

export const PLATFORM_IDS = ['android', 'ios', 'web', 'cpp', 'python'] as const;
export type PlatformId = (typeof PLATFORM_IDS)[number];

/** Android's package rules, Apple's bundle id rules, or any setAppId()/setAppName() string. */
export type AppIdRule = 'java-package' | 'bundle-id' | 'app-name';

export interface Platform {
  id: PlatformId;
  /** Shown in prompts, help and summaries. */
  label: string;
  /** What the appid is called on this platform, for help text and errors. */
  appIdMeaning: string;
  /** Per-platform override flag, e.g. --android-app-id. */
  appIdFlag: `--${PlatformId}-app-id`;
  /** Which appid rules apply (src/validators.ts holds them). */
  appIdRule: AppIdRule;
  /** Folder under templates/ and under the generated project. */
  dir: PlatformId;
  /** The git-ignored token config file, relative to the platform folder; its template is `<secretFile>.hbs`. */
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

export const PLATFORMS: Record<PlatformId, Platform> = {
  android: {
    id: 'android',
    sdk: SDK_VERSIONS.android,
    label: 'Android (Kotlin)',
    appIdMeaning: 'the Android application id (package name)',
    appIdFlag: '--android-app-id',
    appIdRule: 'java-package',
    dir: 'android',
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
    secretFile: 'mesibo.conf',
    nextSteps: ({ dir, firstUser, secondUser }) => [
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
    secretFile: 'config.json',
    // A virtual environment: Debian 12+, Ubuntu 23.04+ and Homebrew refuse pip in the system Python (PEP 668).
    nextSteps: ({ dir, firstUser, secondUser }) => [
      `cd ${dir}`,
      'python3 -m venv .venv   # Windows: py -m venv .venv',
      '. .venv/bin/activate   # Windows: .venv\\Scripts\\activate',
      'python -m pip install -r requirements.txt',
      `python main.py --user ${firstUser} --to ${secondUser}`,
    ],
  },
};

export const ALL_PLATFORMS: readonly Platform[] = PLATFORM_IDS.map((id) => PLATFORMS[id]);

export function isPlatformId(value: string): value is PlatformId {
  return (PLATFORM_IDS as readonly string[]).includes(value);
}
