/**
 * The Python starter's toolchain, as a user meets it: `--help` and a missing mesibo package run on a
 * plain python3 that has no mesibo; an unsupported Python version is simulated by replacing
 * sys.version_info before main.py runs (it reads nothing else; no CPython outside 3.9-3.13 is installable
 * here). The next steps and the README create and use a virtual environment, on POSIX and Windows.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS } from '../src/platforms';
import SDK_VERSIONS from '../src/sdk-versions.json';
import { renderFixture } from './support/render';
import { assertToolsOrSkip } from './support/tools';
import { tempDir } from './support/starter-common';
import { runPythonCode, runStarter } from './support/python-starter';

const tools = assertToolsOrSkip(['python3']);
const { mesibo: MESIBO, pythonMin: MIN, pythonMax: MAX } = SDK_VERSIONS.python;

/** Runs main.py as `python3 main.py <args>` would, with sys.version_info replaced first. */
const AS_VERSION = String.raw`
import runpy, sys
major, minor = map(int, sys.argv[1].split("."))
sys.version_info = (major, minor, 0, "final", 0)
sys.argv = ["main.py", *sys.argv[2:]]
runpy.run_path("main.py", run_name="__main__")
`;

describe.skipIf(tools.skip)(`python starter toolchain ${tools.reason}`, () => {
  let scratch: ReturnType<typeof tempDir>;
  let project: string;
  let dir: string;
  const plain = () => ({ python: 'python3', dir, pycache: scratch.dir });

  beforeAll(async () => {
    scratch = tempDir('cma-python-tools-');
    project = (await renderFixture({ platforms: [{ id: 'python', appId: 'demo.python-app' }] })).dir;
    dir = path.join(project, 'python');
    // The premise: this python3 has no mesibo package.
    const probe = await execa('python3', ['-c', 'import mesibo'], { reject: false });
    expect(probe.stderr).toContain("No module named 'mesibo'");
  });
  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
    scratch.cleanup();
  });

  it('python3 main.py --help works without mesibo installed', async () => {
    const result = await runStarter({ ...plain(), args: ['--help'] });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^usage: main\.py \[-h\] --user USER \[--to TO\]/);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain(`Needs Python ${MIN} to ${MAX} and mesibo==${MESIBO} (requirements.txt).`);
  });

  it('without mesibo installed, says how to install it in a virtual environment (no traceback)', async () => {
    const result = await runStarter({ ...plain(), args: ['--user', '123'], stdin: 'x\n' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toContain('Traceback');
    expect(result.stderr.split('\n')[0]).toMatch(/^mesibo's Python package is not installed for \/\S+python3\S*, so this starter cannot log in\. /);
    for (const command of ['python3 -m venv .venv', 'py -m venv .venv', '. .venv/bin/activate', '.venv\\Scripts\\activate', 'python -m pip install -r requirements.txt']) {
      expect(result.stderr).toContain(command);
    }
  });

  for (const version of ['3.14', '3.8']) {
    it(`on Python ${version}, says which versions mesibo supports and what to do (no traceback)`, async () => {
      const result = await runPythonCode(plain(), AS_VERSION, [version, '--user', '123']);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).not.toContain('Traceback');
      expect(result.stderr).toBe(
        `This is Python ${version}, but mesibo ${MESIBO} runs only on Python ${MIN} to ${MAX}: its package has no ` +
          `compiled module for other versions. Install a Python in that range (python.org, your package manager, or ` +
          `pyenv), create the virtual environment with it (for example python${MAX} -m venv .venv) and install ` +
          'requirements.txt into it.',
      );
    });
  }

  it('the supported range is the one mesibo ships compiled modules for', () => {
    // Edges pass the check and reach the next step (here: no mesibo).
    return Promise.all(
      [MIN, MAX].map(async (version) => {
        const result = await runPythonCode(plain(), AS_VERSION, [version, '--user', '123']);
        expect(result.stderr).toContain("mesibo's Python package is not installed");
      }),
    );
  });

  it("the CLI's next steps create a virtual environment and run the starter with its python", () => {
    const steps = PLATFORMS.python.nextSteps({ dir: 'my-chat/python', firstUser: '123', secondUser: '456' });
    expect(steps).toEqual([
      // The pinned build's refusal date, in one line, before anything is installed (src/sdk-versions.json).
      `# Note: mesibo ${MESIBO} refuses to start after ${SDK_VERSIONS.python.refusesAfter}; the starter then says so: a newer mesibo build is needed`,
      // cd on a line of its own: cmd and Windows PowerShell 5 have no &&.
      'cd my-chat/python',
      'python3 -m venv .venv   # Windows: py -m venv .venv',
      '. .venv/bin/activate   # Windows: .venv\\Scripts\\activate',
      'python -m pip install -r requirements.txt',
      'python main.py --user 123 --to 456',
    ]);
  });

  it('the README installs into .venv on POSIX and Windows and states the Python range and pin', () => {
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    for (const line of ['python3 -m venv .venv\n. .venv/bin/activate\npython -m pip install -r requirements.txt', 'py -m venv .venv\n.venv\\Scripts\\activate\npython -m pip install -r requirements.txt']) {
      expect(readme).toContain(line);
    }
    expect(readme).toContain(`CPython ${MIN} to ${MAX}`);
    expect(readme).toContain(`mesibo==${MESIBO}`);
    expect(readme).toContain('Not checked: talking to mesibo');
  });
});
