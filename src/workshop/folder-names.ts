/**
 * A seat's folder name, from its address. Addresses come from a roster anyone may have typed, so the
 * folder name is built from a safe alphabet rather than checked against a list of dangers:
 * - lower-case ASCII letters, digits, `-` and `_` only (accents are dropped, `é` -> `e`; anything else,
 *   `/`, `\`, `.`, spaces and emoji included, becomes `-`): no path separator, no `..`, no hidden file,
 *   no trailing dot or space (Windows), no `.zip` clash with another seat's zip, one spelling on a
 *   case-insensitive file system;
 * - at most 40 characters, never empty;
 * - not a name Windows reserves for a device (CON, NUL, COM1…);
 * - unique among the seats, case-insensitively, by a `-2`, `-3`… suffix.
 */

const MAX_LENGTH = 40;
// Device names Windows reserves whatever the extension (learn.microsoft.com, "Naming Files, Paths, and Namespaces").
// (COM¹ and the like fold to COM1 above; CONIN$ cannot be spelled in this alphabet.)
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

/** The folder name for one address, before it is made unique. */
export function folderBase(address: string): string {
  const ascii = address.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  let name = ascii
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  if (name.length > MAX_LENGTH) name = name.slice(0, MAX_LENGTH).replace(/[-_]+$/, '');
  if (name === '') name = 'seat';
  if (WINDOWS_RESERVED.test(name)) name = `${name}-seat`;
  return name;
}

/** Folder names for the addresses, in order and unique: the first to want a name gets it, later ones a suffix. */
export function uniqueFolders(addresses: readonly string[]): string[] {
  const used = new Set<string>();
  return addresses.map((address) => {
    const base = folderBase(address);
    let name = base;
    for (let n = 2; used.has(name); n++) {
      const suffix = `-${n}`;
      name = `${base.slice(0, MAX_LENGTH - suffix.length)}${suffix}`;
    }
    used.add(name);
    return name;
  });
}
