/**
 * The templates' helpers: one per target-language literal (src/render/templates.ts registers them, each
 * wrapped in a SafeString so Handlebars adds no HTML escaping on top). `test/templates-use-helpers.test.ts`
 * fails on any bare `{{value}}` in a template.
 */
import * as lit from './literals';

type Helper = (value: unknown) => string;

const str = (fn: (s: string) => string): Helper => (value) => {
  if (typeof value !== 'string') throw new Error(`template helper expected a string, got ${typeof value}`);
  return fn(value);
};

/** Helper name -> literal function. The names are what templates write, e.g. `{{kt pair.first.address}}`. */
export const LITERAL_HELPERS: Record<string, Helper> = {
  js: str(lit.jsString),
  json: (value) => lit.jsonValue(value),
  html: str(lit.htmlEscape),
  attr: str(lit.htmlEscape),
  xml: str(lit.xmlEscape),
  plist: str(lit.xmlEscape),
  py: str(lit.pyString),
  cpp: str(lit.cppString),
  kt: str(lit.kotlinString),
  swift: str(lit.swiftString),
  cmake: str(lit.cmakeString),
  rb: str(lit.rubyString),
  props: str(lit.propertiesValue),
  pbx: str(lit.pbxString),
  xcconfig: str(lit.xcconfigValue),
  md: str(lit.markdownText),
  code: str(lit.markdownCode),
  sh: str(lit.shellWord),
  url: str((s) => encodeURI(s)),
  /** A whole number, printed as digits (expiry minutes, user numbers). */
  int: (value) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Error('int helper expects an integer');
    return String(value);
  },
  /** An appid as a source path: com.example.chat -> com/example/chat (appids are validated beforehand). */
  pkgPath: str((s) => s.replace(/\./g, '/')),
  /** A whole-line config value, verbatim (mesibo.conf). */
  line: str(lit.lineValue),
  /** A URL query parameter value: `?user={{query address}}`. */
  query: str(lit.queryValue),
  /** Android string resource text: `<string name="app_name">{{androidString app.name}}</string>`. */
  androidString: str(lit.androidString),
  /** An appid as a Kotlin package name (keyword segments backticked). */
  ktPackage: str(lit.kotlinPackage),
  /** A Gradle project name as a Kotlin string literal (settings.gradle.kts). */
  gradleName: str(lit.gradleProjectName),
  /** An Info.plist string value: XML text with `$` escaped from Xcode's build setting expansion. */
  infoPlist: str(lit.infoPlistString),
  /** A pbxproj value, bare or quoted exactly as Xcode writes it: `PRODUCT_BUNDLE_IDENTIFIER = {{pbxValue platform.appId}};`. */
  pbxValue: str(lit.pbxValue),
};
