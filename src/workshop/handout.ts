/**
 * handout.html: a printable page, one card per seat, to cut out and hand over with the seat's folder.
 * Each card: the attendee's name and address, the buddy, the folder (or zip), and how to start, web
 * first. Pure, and built only from the plan: no token can reach it (there is none to reach), and every
 * value is HTML-escaped, so a roster name is text, never markup.
 */
import { PLATFORMS, type PlatformId } from '../platforms';
import { shellWord } from '../render/literals';
import type { Seat, WorkshopPlan } from './workshop-plan';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STYLE = `
  @page { size: A4; margin: 12mm; }
  * { box-sizing: border-box; }
  body { font: 10.5pt/1.35 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111; margin: 0 auto; padding: 8mm; max-width: 200mm; }
  .intro { margin-bottom: 6mm; }
  .cards { display: grid; grid-template-columns: repeat(2, 1fr); gap: 5mm; }
  .card { border: 1px dashed #777; border-radius: 3mm; padding: 4mm 5mm; break-inside: avoid; page-break-inside: avoid; }
  .card h2 { font-size: 13pt; margin: 0 0 2mm; }
  .card dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 3mm; margin: 0 0 2mm; }
  .card dt { color: #555; }
  .card dd { margin: 0; overflow-wrap: anywhere; }
  .card h3 { font-size: 10.5pt; margin: 2mm 0 1mm; }
  code, pre { font: 9pt/1.3 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
  pre { margin: 0 0 1.5mm; white-space: pre-wrap; overflow-wrap: anywhere; }
  .note { color: #555; font-size: 9pt; margin: 1mm 0 0; }
  @media print { body { padding: 0; } .intro { display: none; } }
`;

/** The chosen platforms, web first (it needs nothing but Node), then the registry's order. */
function startOrder(platforms: WorkshopPlan['platforms']): PlatformId[] {
  const ids = [...new Set(platforms.map((p) => p.id))];
  return [...ids.filter((id) => id === 'web'), ...ids.filter((id) => id !== 'web')];
}

function steps(id: PlatformId, seat: Seat): string[] {
  const platform = PLATFORMS[id];
  const lines = platform.nextSteps({ dir: shellWord(platform.dir), firstUser: shellWord(seat.address), secondUser: shellWord(seat.buddy) });
  if (id === 'web') lines.push(`# then open http://localhost:8080/?user=${encodeURIComponent(seat.address)}`);
  return lines;
}

function card(plan: WorkshopPlan, seat: Seat, buddyName: string): string {
  const e = escapeHtml;
  const folder = plan.zip ? `${seat.folder}/ (or ${seat.folder}.zip)` : `${seat.folder}/`;
  const start = startOrder(plan.platforms)
    .map((id) => `      <h3>${e(PLATFORMS[id].label)}</h3>\n      <pre>${e(steps(id, seat).join('\n'))}</pre>`)
    .join('\n');
  return `    <article class="card">
      <h2>${e(seat.name)}</h2>
      <dl>
        <dt>You are</dt><dd><code>${e(seat.address)}</code></dd>
        <dt>Your buddy</dt><dd>${e(buddyName)} (<code>${e(seat.buddy)}</code>)</dd>
        <dt>Your folder</dt><dd><code>${e(folder)}</code></dd>
      </dl>
${start}
      <p class="note">Run it from your folder, wait for "online", and send your buddy a message.</p>
    </article>`;
}

export function handoutHtml(plan: WorkshopPlan, expires: string): string {
  const names = new Map([plan.host, ...plan.seats].map((s) => [s.address, s.name]));
  const cards = plan.seats.map((seat) => card(plan, seat, names.get(seat.buddy) ?? seat.buddy)).join('\n');
  const title = `${plan.name}: seats`;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>${STYLE}</style>
</head>
<body>
  <section class="intro">
    <h1>${escapeHtml(title)}</h1>
    <p>${plan.seats.length} seats; the host is <code>${escapeHtml(plan.host.address)}</code>. Print this page and cut along the
    dashed lines: each card goes with its seat's folder. The cards hold no tokens. ${escapeHtml(expires)}</p>
  </section>
  <main class="cards">
${cards}
  </main>
</body>
</html>
`;
}
