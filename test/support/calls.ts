/** Hand-made calls for tests: every field has a plain default, override what the test is about. */
import { type Call, emptyCall } from '../../functions/shared/calls/call.ts';
import type { CallList } from '../../functions/shared/calls/call-list.ts';
import { normalisePhone } from '../../functions/shared/calls/phone.ts';
import { parseWall } from '../../functions/shared/time.ts';

let nextId = 1;

/** A wall instant from `YYYY-MM-DD hh:mm:ss`. */
export function wall(text: string): number {
  const ms = parseWall(text);
  if (ms === null) throw new Error(`bad wall time ${text}`);
  return ms;
}

/** A call with nothing but its id and start: every other field empty (null, [], false), coming in. */
export function blankCall(id: number, start: number, overrides: Partial<Call> = {}): Call {
  return { ...emptyCall(), id, start, ...overrides };
}

export function makeCall(at: string, overrides: Partial<Call> = {}): Call {
  const number = overrides.contactNumber === undefined ? '+7 (900) 000-00-01' : overrides.contactNumber;
  return blankCall(nextId++, wall(at), {
    contactNumber: number,
    contactNormal: normalisePhone(number),
    virtualNumber: '74950000000',
    virtualNumberComment: 'Отдел продаж',
    employees: ['Иванова Мария'],
    totalSeconds: 30,
    awaitSeconds: 5,
    talkSeconds: 25,
    ...overrides,
  });
}

/** The calls of a table (or a view of one) as an array of their own, to look through in a test. */
export function callsIn(list: CallList): Call[] {
  return Array.from({ length: list.length }, (_, i) => list.at(i));
}
