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

export function makeCall(at: string, overrides: Partial<Call> = {}): Call {
  const number = overrides.contactNumber === undefined ? '+7 (900) 000-00-01' : overrides.contactNumber;
  return {
    id: nextId++,
    start: wall(at),
    finish: null,
    direction: 'in',
    lost: false,
    internal: false,
    directionLabel: null,
    statusLabel: null,
    type: null,
    finishReason: null,
    contactNumber: number,
    contactNormal: normalisePhone(number),
    virtualNumber: '74950000000',
    virtualNumberComment: 'Отдел продаж',
    employees: ['Иванова Мария'],
    receivedCall: null,
    firstEmployeeInternal: null,
    secondEmployeeInternal: null,
    coaches: [],
    coachHandled: null,
    blacklisted: null,
    totalSeconds: 30,
    awaitSeconds: 5,
    talkSeconds: 25,
    processedMarkSeconds: null,
    tags: [],
    records: [],
    rating: null,
    comment: null,
    commentAuthor: null,
    ...overrides,
  };
}
