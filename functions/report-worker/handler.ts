/** Report worker: runs a job queued by the Reports API (asynchronous invocation with `{jobId}`). */
import { S3JobStore } from '../shared/api/jobs.ts';
import { createReportRuntime } from '../shared/lambda/runtime.ts';
import { handleWorkerEvent } from '../shared/lambda/worker.ts';
import { wrap } from '../shared/lambda/wrap.ts';

const base = createReportRuntime();
const runtime = { ...base, jobs: new S3JobStore({ client: base.s3, bucket: base.config.REPORTS_BUCKET }) };

export const handler = wrap(runtime.logger, runtime.metrics, (event: unknown) =>
  handleWorkerEvent(event, runtime),
);
