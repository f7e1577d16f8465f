/**
 * exceljs writes a sheet's XML into a PassThrough that archiver consumes, and
 * it ignores that stream's backpressure. The sheet writer asks here, every few
 * rows, whether that PassThrough holds more than `MAX_PENDING_BYTES` (because
 * deflate or the destination is slower than we are) and waits for it to drain.
 * Backpressure from the destination travels back to that PassThrough through
 * archiver's ordinary pipes.
 */
import { once } from 'node:events';
import type ExcelJS from 'exceljs';

/** Wait for the sheet's zip input to drain when more than this is queued. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;

/** The stream between exceljs and archiver (readable-stream 2's PassThrough). */
interface PipeTarget extends NodeJS.EventEmitter {
  _writableState?: { length?: unknown; needDrain?: unknown };
}

/**
 * Bytes exceljs has handed to the zip for this sheet that the zip has not read
 * yet, and bytes still waiting in the sheet's own buffer while the zip is busy
 * with an earlier part.
 */
export function pendingBytes(sheet: ExcelJS.Worksheet): number {
  // Internals: WorksheetWriter.stream is a StreamBuf whose `pipes` are the
  // PassThrough(s) archiver reads, and whose `buffers` hold what is not piped
  // yet. If exceljs changes, we only lose the check.
  const stream = (sheet as unknown as { stream?: { pipes?: unknown; buffers?: unknown } }).stream;
  const pipes = stream?.pipes;
  if (!Array.isArray(pipes)) return 0;
  let total = 0;
  for (const p of pipes) {
    const length = (p as PipeTarget)._writableState?.length;
    if (typeof length === 'number') total += length;
  }
  const buffers = stream?.buffers;
  if (pipes.length === 0 && Array.isArray(buffers)) {
    for (const b of buffers) {
      const length = (b as { length?: unknown }).length;
      if (typeof length === 'number') total += length;
    }
  }
  return total;
}

/** Resolves once the sheet's zip input holds no more than `MAX_PENDING_BYTES`; rejects with `failure`. */
export async function drained(sheet: ExcelJS.Worksheet, failure: Promise<never>): Promise<void> {
  while (pendingBytes(sheet) > MAX_PENDING_BYTES) {
    const pipes = (sheet as unknown as { stream: { pipes: PipeTarget[] } }).stream.pipes;
    const first = pipes[0];
    // 'drain' comes once the queue is empty, if a write found it full (it did: it is over the limit).
    const waiting = first?._writableState?.needDrain
      ? once(first, 'drain')
      : new Promise<void>((resolve) => setTimeout(resolve, 10));
    await Promise.race([waiting, failure]);
  }
}
