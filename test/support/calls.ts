/** Hand-made calls for tests: every field has a plain default, override what the test is about. */
import type { Call } from '../../functions/shared/calls/call.ts';
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
  return {
    id,
    start,
    finish: null,
    direction: 'in',
    lost: false,
    internal: false,
    directionLabel: null,
    statusLabel: null,
    type: null,
    finishReason: null,
    contactNumber: null,
    contactNormal: null,
    virtualNumber: null,
    virtualNumberComment: null,
    employees: [],
    receivedCall: null,
    firstEmployeeInternal: null,
    secondEmployeeInternal: null,
    coaches: [],
    coachHandled: null,
    blacklisted: null,
    totalSeconds: null,
    awaitSeconds: null,
    talkSeconds: null,
    processedMarkSeconds: null,
    tags: [],
    records: [],
    rating: null,
    comment: null,
    commentAuthor: null,
    ...overrides,
  };
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
