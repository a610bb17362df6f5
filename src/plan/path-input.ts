/**
 * A folder typed in Windows form on a system whose paths use `/`. On Linux and macOS a backslash is an
 * ordinary character of a file name, so `C:\Users\me\my-chat` would silently become one folder of that
 * name in the current folder, and the printed `cd C:\Users\me\my-chat` would then fail in sh. So such a
 * path is refused there, with its POSIX form; on Windows it is an ordinary path and passes.
 */

const DRIVE = /^([A-Za-z]):(?=[\\/]|$)/;

/** Why `value` cannot be a folder here (a sentence naming its POSIX form), or undefined when it can. */
export function foreignPathProblem(value: string, shown: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform === 'win32') return undefined;
  const drive = DRIVE.exec(value);
  if (!drive && !value.includes('\\')) return undefined;
  const rest = (drive ? value.slice(2) : value).split(/[\\/]+/).filter((part) => part !== '');
  const last = rest[rest.length - 1] ?? 'my-chat';
  const posix = drive ? `/mnt/${drive[1]!.toLowerCase()}/${rest.join('/')}` : rest.join('/');
  const forms = drive
    ? `${posix} (drive ${drive[1]!.toUpperCase()}: as WSL mounts it), or ${last} for a folder here`
    : `${posix}`;
  return (
    `${shown} ${JSON.stringify(value)} is a Windows path, but this system (${platform}) separates folders with /: ` +
    `a backslash${drive ? ' or a drive letter' : ''} would become part of a folder's name. ` +
    `Give it in POSIX form: ${forms}.`
  );
}
