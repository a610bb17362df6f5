/**
 * The configuration every git child of doctor runs under. A project's .git/config (and any file it
 * includes) is written by whoever made the repository, and git settings can start programs or open
 * connections: gpg.program (run for every signed commit once log.showSignature is on), core.sshCommand
 * and remote.*.uploadpack (run by the lazy fetch of a partial clone), core.fsmonitor, diff drivers and
 * textconv, credential helpers and askpass programs. doctor promises to execute nothing from the
 * project and to use no network, so git gets:
 *   - an environment of its own: PATH (to find git), an empty HOME, LC_ALL=C and git's switches, and
 *     nothing else of the user's (no MESIBO_APP_TOKEN, no proxy credentials, no GIT_SSH_COMMAND);
 *   - no system or user configuration (GIT_CONFIG_NOSYSTEM, GIT_CONFIG_GLOBAL, GIT_ATTR_NOSYSTEM);
 *   - `-c` overrides, which win over the repository's own config, for every setting below;
 *   - no transport at all (protocol.allow=never, GIT_NO_LAZY_FETCH where git knows it), so a missing
 *     object stays missing.
 * src/cli/help.ts (doctor) lists the same settings for users; test/doctor-git-hostile.test.ts holds them
 * to it.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The settings a project cannot change for doctor, with the value doctor gives them. */
export const GIT_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  // Programs git would start.
  ['log.showSignature', 'false'],
  ['gpg.program', '/dev/null'],
  ['gpg.openpgp.program', '/dev/null'],
  ['gpg.x509.program', '/dev/null'],
  ['gpg.ssh.program', '/dev/null'],
  ['core.sshCommand', ''],
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', '/dev/null'],
  ['core.askPass', ''],
  ['credential.helper', ''],
  ['core.alternateRefsCommand', ''],
  ['core.pager', 'cat'],
  // Connections (a partial clone's lazy fetch, any transport, with or without a proxy).
  ['protocol.allow', 'never'],
  ['core.gitProxy', ''],
  ['http.proxy', ''],
  // Writes and files outside the project.
  ['core.untrackedCache', 'false'],
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
  ['core.excludesFile', '/dev/null'],
  ['core.attributesFile', '/dev/null'],
];

/** `-c name=value` for each setting, before git's subcommand. */
export const GIT_OVERRIDES: readonly string[] = ['--no-pager', ...GIT_SETTINGS.flatMap(([name, value]) => ['-c', `${name}=${value}`])];

/** A HOME that does not exist: git reads nothing there (and GIT_CONFIG_GLOBAL already points away). */
const NO_HOME = path.join(tmpdir(), `create-mesibo-app-doctor-no-home-${randomUUID()}`);

/** The variables of the user's environment git may see: how to find programs (and, on Windows, run them). */
const PASSED_ON = ['PATH', 'Path', 'SYSTEMROOT', 'SystemRoot', 'PATHEXT', 'WINDIR'];

export function gitEnvironment(from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_ON) if (from[name] !== undefined) env[name] = from[name]!;
  return {
    ...env,
    HOME: NO_HOME,
    USERPROFILE: NO_HOME,
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_NO_LAZY_FETCH: '1',
    GIT_NO_REPLACE_OBJECTS: '1', // history as committed, not as refs/replace would show it
    GIT_PROTOCOL_FROM_USER: '0',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_PAGER: 'cat',
  };
}
