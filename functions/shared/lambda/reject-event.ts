/**
 * The one answer to a Lambda event that cannot succeed on retry (a bad shape,
 * an unknown subscription, a job that does not exist): one clear error line,
 * counted (metric `RejectedEvents`), and a normal return, so Lambda does not
 * retry it. Used by the daily report and the worker.
 */
import { type Logger, type Metrics, MetricUnit } from './observability.ts';

export interface RejectedEvent {
  status: 'rejected';
  reason: string;
}

export function rejectEvent(rt: { logger: Logger; metrics: Metrics }, reason: string): RejectedEvent {
  rt.logger.error(reason);
  rt.metrics.addMetric('RejectedEvents', MetricUnit.Count, 1);
  return { status: 'rejected', reason };
}
