/**
 * mesibo's real SDK artifacts for the starter checks, installed by the same code `.ci/run` runs
 * (scripts/install-sdks.mjs, pinned in src/sdk-versions.json). Under CI an artifact that cannot be
 * installed fails the test; elsewhere the test is skipped with the reason.
 */
// @ts-expect-error: a plain .mjs script without type declarations
import { installAndroidAll, installPythonMesibo } from '../../scripts/install-sdks.mjs';

export interface PythonSdk {
  /** The virtual environment's interpreter, with the real `mesibo` module installed. */
  python: string;
  /** The libmesibo.so bundled in mesibo's wheel. */
  libmesibo: string;
}

export interface AndroidAll {
  /** org.robolectric:android-all: the real Android framework classes of the starter's compileSdk. */
  jar: string;
}

type Gate<T> = { sdk: T; skip: false; reason: '' } | { sdk: undefined; skip: true; reason: string };

async function gate<T>(name: string, install: () => Promise<T>): Promise<Gate<T>> {
  try {
    return { sdk: await install(), skip: false, reason: '' };
  } catch (error) {
    const reason = `mesibo's real ${name} could not be installed (node scripts/install-sdks.mjs): ${(error as Error).message}`;
    if (process.env.CI) throw new Error(`CI is set but ${reason}`);
    return { sdk: undefined, skip: true, reason };
  }
}

export const pythonSdk = (): Promise<Gate<PythonSdk>> => gate('Python SDK', installPythonMesibo as () => Promise<PythonSdk>);
export const androidAll = (): Promise<Gate<AndroidAll>> => gate('android-all jar', installAndroidAll as () => Promise<AndroidAll>);
