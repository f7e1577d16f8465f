/** Report worker: runs a job queued by the Reports API (asynchronous invocation with `{jobId}`). */
import { createWorkerRuntime } from '../shared/lambda/runtime.ts';
import { handleWorkerEvent } from '../shared/lambda/worker.ts';
import { wrap } from '../shared/lambda/wrap.ts';

const runtime = createWorkerRuntime();

export const handler = wrap(runtime.logger, runtime.metrics, (event: unknown, context) =>
  handleWorkerEvent(event, runtime, context),
);
