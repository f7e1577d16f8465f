/**
 * The email's headline figures, each with its change against the previous
 * period and what that change means to a manager (good, bad or neither).
 * A row never sends mixed signals: when its parts disagree (more missed calls
 * but a lower missed rate, on a busier day) none of them is coloured.
 */

import { humanDuration, integer, percent, percentPoints, signed } from '../format.ts';
import { type Dictionary, fill, type Language } from '../i18n.ts';
import type { Summary, Totals } from '../types.ts';

/** good / bad: what a rise of the figure means to a manager; neutral: neither. */
type Polarity = 'up_good' | 'up_bad' | 'neutral';
export type Tone = 'good' | 'bad' | 'neutral';

/** One part of a figure's change: `▲ +3`, `▼ −2 п.п.`, `без изменений`. */
export interface ChangePart {
  text: string;
  arrow: '▲' | '▼' | '';
  tone: Tone;
}

export interface FigureRow {
  label: string;
  value: string;
  /** What the value is made of, shown after it in brackets: `5%`, `60 с ответом`; null when nothing. */
  extra: string | null;
  /** Empty when there is no previous period or the figure has no previous value; at most one tone. */
  change: ChangePart[];
}

/** The row's change with one tone at most: parts that disagree (good and bad) lose their colour. */
function oneTone(parts: ChangePart[]): ChangePart[] {
  const tones = new Set(parts.map((c) => c.tone).filter((t) => t !== 'neutral'));
  return tones.size > 1 ? parts.map((c) => ({ ...c, tone: 'neutral' })) : parts;
}

function changePart(delta: number, shown: string, polarity: Polarity, dict: Dictionary): ChangePart {
  if (delta === 0) return { text: dict.email.noChange, arrow: '', tone: 'neutral' };
  const up = delta > 0;
  const tone: Tone = polarity === 'neutral' ? 'neutral' : up === (polarity === 'up_good') ? 'good' : 'bad';
  return { text: signed(delta, shown), arrow: up ? '▲' : '▼', tone };
}

function countChange(cur: number, prev: number, polarity: Polarity, dict: Dictionary, lang: Language) {
  const d = cur - prev;
  return changePart(d, integer(Math.abs(d), lang), polarity, dict);
}

/** A rate's change in percentage points, one decimal: `+1,5 п.п.`, `−2 pp`. */
function rateChange(cur: number, prev: number, polarity: Polarity, dict: Dictionary, lang: Language) {
  const points = Math.round((cur - prev) * 1000) / 10;
  return changePart(points, percentPoints(points, dict, lang), polarity, dict);
}

function secondsChange(
  cur: number | null,
  prev: number | null,
  polarity: Polarity,
  dict: Dictionary,
  lang: Language,
): ChangePart[] {
  if (cur === null || prev === null) return [];
  const d = Math.round(cur - prev);
  return [changePart(d, humanDuration(d, dict, lang), polarity, dict)];
}

/** The figures table, in the order a manager reads it. */
export function figureRows(s: Summary, dict: Dictionary, lang: Language): FigureRow[] {
  const t = s.totals;
  const m = s.missed;
  const p: Totals | null = s.previous?.totals ?? null;
  const f = dict.figures;
  const mf = dict.missedFigures;
  const int = (n: number) => integer(n, lang);
  const seconds = (v: number | null) => (v === null ? '—' : humanDuration(v, dict, lang));
  const missedChange = (): ChangePart[] => {
    if (!p) return [];
    const count = countChange(t.incoming_missed, p.incoming_missed, 'up_bad', dict, lang);
    const rate = rateChange(t.missed_rate, p.missed_rate, 'up_bad', dict, lang);
    if (count.arrow === '' && rate.arrow === '') return [count];
    return [count, rate].filter((c) => c.arrow !== '');
  };
  const row = (label: string, value: string, change: ChangePart[] = [], extra: string | null = null) => ({
    label,
    value,
    extra,
    change: oneTone(change),
  });
  return [
    row(
      f.incoming.label,
      int(t.incoming),
      p ? [countChange(t.incoming, p.incoming, 'neutral', dict, lang)] : [],
    ),
    row(f.incoming_missed.label, int(t.incoming_missed), missedChange(), percent(t.missed_rate)),
    row(mf.called_back.label, int(m.called_back)),
    row(mf.client_called_again.label, int(m.client_called_again)),
    row(mf.callback_failed.label, int(m.callback_failed)),
    row(mf.unreturned.label, int(m.unreturned)),
    row(
      f.avg_wait_seconds.label,
      seconds(t.avg_wait_seconds),
      p ? secondsChange(t.avg_wait_seconds, p.avg_wait_seconds, 'up_bad', dict, lang) : [],
    ),
    row(
      fill(dict.email.slaLabel, { label: f.sla_rate.label, sla: t.sla_seconds }),
      percent(t.sla_rate),
      p ? [rateChange(t.sla_rate, p.sla_rate, 'up_good', dict, lang)] : [],
    ),
    row(
      f.talk_seconds.label,
      seconds(t.talk_seconds),
      p ? secondsChange(t.talk_seconds, p.talk_seconds, 'neutral', dict, lang) : [],
    ),
    row(
      f.outgoing.label,
      int(t.outgoing),
      p ? [countChange(t.outgoing, p.outgoing, 'neutral', dict, lang)] : [],
      fill(dict.email.outgoingAnswered, { count: int(t.outgoing_answered) }),
    ),
  ];
}
