/**
 * Turns raw flag strings into checked values, throwing a UsageError that names the flag, the value and
 * a fix. Shared by flag parsing and (through `asPromptValidator`) by the interactive questions.
 */
import { UsageError } from '../errors';
import { ALL_PLATFORMS, PLATFORMS, isPlatformId, type PlatformId } from '../platforms';
import {
  splitList,
  validateAddresses,
  validateApiUrl,
  validateDisplayName,
  validateExpiry,
  validateTargetDir,
} from '../validate/values';

const show = (value: string) => JSON.stringify(value);

export function checkTargetDir(value: string, flag = 'the folder argument'): string {
  const problem = validateTargetDir(value);
  if (problem) throw new UsageError(`${flag} ${show(value)} ${problem}. Give a folder name like my-chat.`);
  return value;
}

export function checkName(value: string): string {
  const problem = validateDisplayName(value);
  if (problem) throw new UsageError(`--name ${show(value)} ${problem}. Give a short display name like "My Chat".`);
  return value.trim();
}

export function checkPlatforms(value: string): PlatformId[] {
  const ids = splitList(value).filter((s) => s !== '').map((s) => s.toLowerCase());
  const unknown = ids.filter((id) => !isPlatformId(id));
  if (ids.length === 0 || unknown.length > 0) {
    const what = unknown.length ? `has unknown platform ${unknown.map(show).join(', ')}` : 'is empty';
    throw new UsageError(
      `--platforms ${show(value)} ${what}. Choose from ${ALL_PLATFORMS.map((p) => p.id).join(', ')}, ` +
        'separated by commas, like --platforms web,python.',
    );
  }
  return ALL_PLATFORMS.map((p) => p.id).filter((id) => ids.includes(id));
}

/** An appid given for one platform, through its own flag or through --app-id. */
export function checkAppId(id: PlatformId, value: string, flag: string): string {
  const platform = PLATFORMS[id];
  const problem = platform.validateAppId(value);
  if (!problem) return value;
  const fix =
    flag === '--app-id'
      ? `Give one that suits every platform, like com.example.chat, or give ${platform.label} its own with ${platform.appIdFlag} <id>.`
      : `Give one like com.example.chat.`;
  throw new UsageError(`${flag} ${show(value)} is not valid as ${platform.appIdMeaning}: it ${problem}. ${fix}`);
}

export function checkUsers(value: string): string[] {
  const addresses = splitList(value);
  const problem = validateAddresses(addresses);
  if (problem) {
    throw new UsageError(`--users ${show(value)} ${problem}. Give comma-separated addresses, like --users 123,456.`);
  }
  return addresses;
}

export function checkExpiry(value: string): number {
  const problem = validateExpiry(value);
  if (problem) throw new UsageError(`--token-expiry ${show(value)} ${problem}.`);
  return Number(value.trim());
}

export function checkApiUrl(value: string): string {
  const problem = validateApiUrl(value);
  if (problem) throw new UsageError(`--api-url ${show(value)} ${problem}.`);
  return value;
}

/** Adapts a checker to inquirer's `validate`: true, or the error text to show under the question. */
export function asPromptValidator(check: (value: string) => unknown): (value: string) => true | string {
  return (value) => {
    try {
      check(value);
      return true;
    } catch (error) {
      // At a prompt the value is what was just typed: drop the flag name the message starts with.
      if (error instanceof UsageError) return error.message.replace(/^(--[\w-]+|the folder argument) (?=")/, '');
      throw error;
    }
  };
}
