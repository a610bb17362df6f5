/**
 * Last line of defence for the App Token: every byte the printer writes passes through `redact`, so even
 * an unexpected error message that quotes a request cannot print the token.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string): void {
    if (secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('[redacted]');
    return out;
  }
}
