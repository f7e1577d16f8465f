/**
 * What a row's direction and status say, and the reasons for the parts both
 * readings drop, from `value_id`, the label, or the
 * `contact_phone_number.extra` fallback: shared by the schema reading and the
 * fast row path, so both decide alike.
 */
import type { Direction, Labelled } from '../call.ts';

const DIRECTION_LABELS: Record<string, Direction> = {
  in: 'in',
  out: 'out',
  incoming: 'in',
  outgoing: 'out',
  входящий: 'in',
  'входящий звонок': 'in',
  исходящий: 'out',
  'исходящий звонок': 'out',
};

/** The call's direction, or null when nothing says "in"/"out". */
export function direction(l: Labelled | null, fallback: string | null | undefined): Direction | null {
  for (const key of [l?.id, l?.label, fallback]) {
    if (key) {
      const d = DIRECTION_LABELS[key.trim().toLowerCase()];
      if (d) return d;
    }
  }
  return null;
}

const LOST_LABELS = new Set(['lost', 'пропущенный', 'потерянный']);
const ANSWERED_LABELS = new Set(['successful', 'success', 'answered', 'принятый', 'принят', 'отвеченный']);

/** Whether the call was lost; null when nothing says anything about the status. */
export function lost(l: Labelled | null, fallback: string | null | undefined): boolean | null {
  for (const key of [l?.id, l?.label, fallback]) {
    if (key) {
      const k = key.trim().toLowerCase();
      if (LOST_LABELS.has(k)) return true;
      // Anything the API says that is not "lost" is answered (docs/metrics.md), once it said something.
      if (ANSWERED_LABELS.has(k) || key === l?.id) return false;
    }
  }
  return null;
}

/** `call_is_internal` words (value_id or label, any case); undefined for a word that is neither. */
export function internalWord(word: string): boolean | undefined {
  const k = word.trim().toLowerCase();
  if (k === 'internal' || k === 'true' || k === 'внутренний') return true;
  if (k === 'external' || k === 'false' || k === 'внешний') return false;
  return undefined;
}

/** The parts of a tag the report does not use: kept by its name, and counted. */
export const TAG_WITHOUT_ID = 'tags[]: a tag without id; kept by its name';
export const TAG_WITHOUT_COLOR = 'tags[]: a tag without color; kept';
