/** The email's plain-text part: the same content as the HTML, bars drawn with block characters. */
import { integer } from '../format.ts';
import type { ChangePart } from './figures.ts';
import { splitPercent } from './hours.ts';
import type { Model, Tile } from './model.ts';

function changeText(parts: readonly ChangePart[]): string {
  return parts.map((c) => (c.arrow ? `${c.arrow} ${c.text}` : c.text)).join(' · ');
}

const TEXT_BAR = 30;

function tileText(t: Tile): string {
  return `${t.label}: ${t.value}${t.notes.length ? ` (${t.notes.join(', ')})` : ''}`;
}

export function renderText(m: Model): string {
  const e = m.dict.email;
  const int = (n: number) => integer(n, m.lang);
  const lines: string[] = [m.title, m.timezone, '', m.tiles.map(tileText).join(' · '), ''];
  const u = m.callFirst;
  if (u.clients > 0) {
    lines.push(`${u.heading.toUpperCase()}`, e.unreturnedHint);
    for (const x of u.shown) {
      const details = [...(x.failed ? [x.failed] : []), ...x.details];
      const when = x.day ? `${x.day} ${x.time}` : x.time;
      lines.push(`  ${when}  ${x.number}${details.length ? `  — ${details.join('; ')}` : ''}`);
    }
    if (u.more) lines.push(`  ${u.more}`);
  } else {
    lines.push(u.calm);
  }
  lines.push('', `${m.link.label}: ${m.link.text}`);
  if (m.link.expires) lines.push(m.link.expires);
  if (m.quick) {
    lines.push('', m.quick.label);
    for (const l of m.quick.links) lines.push(`  ${l.text}: ${l.href}`);
  }
  lines.push('', m.figures.compared ? `${e.figuresTitle} (${m.figures.compared})` : e.figuresTitle);
  for (const r of m.figures.rows) {
    const value = r.extra ? `${r.value} (${r.extra})` : r.value;
    lines.push(`  ${r.label}: ${value}${r.change.length ? `  (${changeText(r.change)})` : ''}`);
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
