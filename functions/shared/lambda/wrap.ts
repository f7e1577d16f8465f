/**
 * The cross-cutting parts every handler shares, composed with middy: Powertools
 * context on every log line (request id; keys appended during an invocation are
 * dropped after it) and metrics flushed at the end of each invocation. The
 * event itself is never logged, whatever POWERTOOLS_LOGGER_LOG_EVENT says: an
 * API Gateway event's path and parameters carry link tokens.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Logger, Metrics } from './observability.ts';

export function wrap<E, R>(logger: Logger, metrics: Metrics, fn: (event: E, context: Context) => Promise<R>) {
  return middy<E, R>(fn)
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(logMetrics(metrics));
}
