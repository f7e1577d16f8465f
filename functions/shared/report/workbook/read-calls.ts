/**
 * The one place the workbook reads its calls ("All calls" is written from
 * here): a `CallList` (an array, or a view of a `CallTable`, which makes each
 * call when it is read), or any iterable / async iterable read once in order.
 */
import type { Call } from '../../calls/call.ts';
import { type CallList, readCall, scratchCall } from '../../calls/table.ts';

export type CallsInput = CallList | Iterable<Call> | AsyncIterable<Call>;

export interface CallReader {
  /**
   * Up to about `n` calls to size the columns by: spread over the whole of a
   * list, the first `n` of an iterable (kept to be written first). A call
   * read may be overwritten by the next.
   */
  sample(n: number): Promise<Iterable<Call>>;
  /**
   * Every call, in order, once: `visit` returns true when the writer wants a
   * turn (`pause`). A call read may be overwritten by the next.
   */
  each(visit: (call: Call) => boolean, pause: () => Promise<void>): Promise<void>;
}

export function readCalls(calls: CallsInput): CallReader {
  return isCallList(calls) ? listReader(calls) : streamReader(calls);
}

function isCallList(calls: CallsInput): calls is CallList {
  if (Array.isArray(calls)) return true;
  const list = calls as Partial<CallList>;
  return typeof list.length === 'number' && typeof list.at === 'function';
}

function listReader(list: CallList): CallReader {
  return {
    sample: async (n) => spread(list, n),
    async each(visit, pause) {
      const scratch = scratchCall();
      for (let i = 0; i < list.length; i++) {
        if (visit(readCall(list, i, scratch))) await pause();
      }
    },
  };
}

function* spread(list: CallList, n: number): Generator<Call> {
  const step = Math.max(1, Math.floor(list.length / n));
  const scratch = scratchCall();
  for (let i = 0; i < list.length; i += step) yield readCall(list, i, scratch);
}

function streamReader(calls: Iterable<Call> | AsyncIterable<Call>): CallReader {
  const rest: Iterator<Call> | AsyncIterator<Call> =
    Symbol.asyncIterator in calls ? calls[Symbol.asyncIterator]() : calls[Symbol.iterator]();
  const head: Call[] = [];
  return {
    async sample(n) {
      while (head.length < n) {
        const next = await rest.next();
        if (next.done) break;
        head.push(next.value);
      }
      return head;
    },
    async each(visit, pause) {
      for (const call of head) {
        if (visit(call)) await pause();
      }
      head.length = 0;
      for (;;) {
        const next = await rest.next();
        if (next.done) break;
        if (visit(next.value)) await pause();
      }
    },
  };
}
