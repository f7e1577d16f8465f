/** Daily report: EventBridge Scheduler → `{subscription}` → yesterday's report, stored and emailed once. */
import { handleDailyEvent } from '../shared/lambda/daily.ts';
import { createReportRuntime } from '../shared/lambda/runtime.ts';
import { wrap } from '../shared/lambda/wrap.ts';

const runtime = createReportRuntime();

export const handler = wrap(runtime.logger, runtime.metrics, (event: unknown, context) =>
  handleDailyEvent(event, runtime, context),
);
