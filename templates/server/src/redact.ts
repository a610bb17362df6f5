/**
 * Log lines never carry the App Token, nor any 8-character piece of it: every run of 8 characters that
 * also occurs in the App Token is masked, whatever surrounds it.
 */
const PIECE = 8;

export function redactor(secrets: ReadonlyArray<string | undefined>) {
  const pieces = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    for (let i = 0; i + PIECE <= secret.length; i++) pieces.add(secret.slice(i, i + PIECE));
  }
  return (text: string): string => {
    if (pieces.size === 0) return text;
    const masked = new Array<boolean>(text.length).fill(false);
    for (let i = 0; i + PIECE <= text.length; i++) {
      if (pieces.has(text.slice(i, i + PIECE))) masked.fill(true, i, i + PIECE);
    }
    let out = '';
    for (let i = 0; i < text.length; i++) out += masked[i] ? (masked[i - 1] ? '' : '[redacted]') : text[i];
    return out;
  };
}
