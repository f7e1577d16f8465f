/**
 * The API's labelled values (`{value, value_id}`) in the report's language:
 * the dictionary's word for a `value_id` it knows (finish reasons, call types,
 * as the simulator's vocabulary lists them), else the API's own label, which
 * is Russian (docs/data-api.md: decide on value_id, show value). The words are
 * looked up in a Map made once per dictionary ("All calls" asks twice a row).
 */
import type { Labelled } from '../../calls/call.ts';
import { cellText } from '../xlsx/values.ts';

const maps = new WeakMap<Readonly<Record<string, string>>, ReadonlyMap<string, string>>();

/** The words by value_id, as a Map (the same one for the same words). */
export function wordsById(words: Readonly<Record<string, string>>): ReadonlyMap<string, string> {
  let map = maps.get(words);
  if (map === undefined) {
    map = new Map(Object.entries(words));
    maps.set(words, map);
  }
  return map;
}

export function apiWord(value: Labelled | null, words: ReadonlyMap<string, string>): string | null {
  if (value === null) return null;
  return words.get(value.id) ?? cellText(value.label);
}
