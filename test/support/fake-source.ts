/**
 * A call source of hand-made calls and a mailer that records what it sends,
 * for the pipeline's tests: the source answers each range with the calls that
 * start inside it, and records every range it was asked for.
 */
import type { Call } from '../../functions/shared/calls/call.ts';
import type { CallRange, CallSource, FetchedCalls } from '../../functions/shared/calls/source.ts';
import { CallTable } from '../../functions/shared/calls/table.ts';
import type { EmailMessage, Mailer } from '../../functions/shared/pipeline/ports.ts';

export class FakeSource implements CallSource {
  readonly reportId = 1015;
  fetches: CallRange[] = [];
  private readonly calls: Call[];
  constructor(calls: Call[]) {
    this.calls = calls;
  }
  async fetch(range: CallRange): Promise<FetchedCalls> {
    this.fetches.push(range);
    return {
      calls: CallTable.from(this.calls.filter((c) => c.start >= range.from && c.start <= range.till)),
      rejectedCount: 0,
      rejected: [],
      droppedParts: [],
      stats: { rows: this.calls.length, duplicateRows: 0, pages: 1, windows: 1, requests: 1, anomalies: [] },
    };
  }
}

export class RecordingMailer implements Mailer {
  sent: EmailMessage[] = [];
  failuresLeft = 0;
  async send(message: EmailMessage) {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('SES said no');
    }
    this.sent.push(message);
    return { messageId: `m-${this.sent.length}` };
  }
}
