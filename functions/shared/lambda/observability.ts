/**
 * Powertools Logger and Metrics, one of each per container. Log lines are
 * structured JSON; the handler appends the subscription and the period to every
 * line of an invocation, `injectLambdaContext` adds the request id. The service
 * name and namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export function createLogger(): Logger {
  return new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'call-reports' });
}

export function createMetrics(): Metrics {
  return new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'CallReports',
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'call-reports',
  });
}

export type { Logger, Metrics };
export { MetricUnit };
