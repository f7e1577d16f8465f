/** The email's plain-text part: the same content as the HTML, bars drawn with block characters. */
import { integer } from '../format.ts';
import type { ChangePart } from './figures.ts';
import { splitPercent } from './hours.ts';
import type { Model } from './model.ts';
import { entryDetails } from './unreturned.ts';

function changeText(parts: readonly ChangePart[]): string {
  return parts.map((c) => (c.arrow ? `${c.arrow} ${c.text}` : c.text)).join(' · ');
}

const TEXT_BAR = 30;

export function renderText(m: Model): string {
  const e = m.dict.email;
  const int = (n: number) => integer(n, m.lang);
  const lines: string[] = [
    m.title,
    m.timezone,
    '',
    m.kpis.map((k) => `${k.label}: ${k.value}`).join(' · '),
    '',
  ];
  if (m.unreturned.entries.length > 0) {
    lines.push(`${m.unreturned.heading.toUpperCase()}`, e.unreturnedHint);
    for (const u of m.unreturned.shown) {
      const details = entryDetails(u, m.dict, m.lang);
      lines.push(`  ${u.when}  ${u.number}${details.length ? `  — ${details.join('; ')}` : ''}`);
    }
    if (m.unreturned.more) lines.push(`  ${m.unreturned.more}`);
  } else {
    lines.push(m.unreturned.calm);
  }
  lines.push('', `${m.link.label}: ${m.link.text}`);
  if (m.link.expires) lines.push(m.link.expires);
  lines.push('', m.figures.compared ? `${e.figuresTitle} (${m.figures.compared})` : e.figuresTitle);
  for (const r of m.figures.rows) {
    lines.push(`  ${r.label}: ${r.value}${r.change.length ? `  (${changeText(r.change)})` : ''}`);
  }
  lines.push('', e.hoursTitle);
  if (m.hours.length === 0) {
    lines.push(`  ${e.noCalls}`);
  } else {
    const cols = m.dict.columns.hours;
    lines.push(
      `  (█ ${e.hoursLegend.answered}, ▒ ${e.hoursLegend.missed}, ░ ${e.hoursLegend.outgoing}; ${cols.incoming} / ${cols.missed} / ${cols.outgoing})`,
    );
    const max = Math.max(...m.hours.map((h) => h.incoming + h.outgoing));
    for (const h of m.hours) {
      const total = h.incoming + h.outgoing;
      const width = total === 0 ? 0 : Math.max(1, Math.round((TEXT_BAR * total) / max));
      const [a = 0, mi = 0, o = 0] = splitPercent([h.incoming - h.missed, h.missed, h.outgoing]).map((p) =>
        Math.round((p * width) / 100),
      );
      const bar = '█'.repeat(a) + '▒'.repeat(mi) + '░'.repeat(o);
      lines.push(
        `  ${h.label}  ${bar.padEnd(TEXT_BAR + 1)} ${int(h.incoming)} / ${int(h.missed)} / ${int(h.outgoing)}`,
      );
    }
  }
  if (m.generated) lines.push('', m.generated);
  return `${lines.join('\n')}\n`;
}
