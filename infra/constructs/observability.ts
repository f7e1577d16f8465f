/**
 * Every failure seen: the stack's alarms (alarms.ts) on what can go wrong,
 * and one CloudWatch dashboard of the daily run.
 *
 * Alarms, each to the alarm topic:
 * - each function's Lambda `Errors`;
 * - each dead-letter queue's arrivals (all three are written with SendMessage:
 *   two Lambda on-failure destinations and the Scheduler's dead-letter queue);
 * - `JobsFailed` (an on-demand job ended failed: the worker catches it, so
 *   Lambda sees no error), `ApiFailures` (the Reports API answered 5xx) and
 *   API Gateway's own `5XXError`, `DataApiRetriesExhausted` (a fetch gave up
 *   after its retries or its time budget), `RowsRejected` above the configured
 *   threshold in an hour (rows the normaliser could not read);
 * - SES `Bounce` and `Complaint` of the configuration set the emails go through.
 *
 * The dashboard: reports made, emails sent, report duration, calls fetched,
 * rejected rows; beside them the failures above.
 */
import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Dashboard, GraphWidget, Metric, SingleValueWidget, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Alarms } from './alarms.ts';
import type { HouseFunction } from './house-function.ts';

export interface ObservabilityProps {
  alarms: Alarms;
  functions: Array<[id: string, fn: HouseFunction, what: string]>;
  deadLetterQueues: Array<[id: string, queue: IQueue, what: string]>;
  api: RestApi;
  /** The SES configuration set the emails go through (its event destination publishes to CloudWatch). */
  mailMetrics: { dimension: string; value: string };
  /** Rows rejected within an hour above which the alarm fires. */
  rejectedRowsThreshold: number;
}

/** The SES metrics of the configuration set's CloudWatch event destination. */
function sesMetric(name: string, dims: { dimension: string; value: string }): Metric {
  return new Metric({
    namespace: 'AWS/SES',
    metricName: name,
    dimensionsMap: { [dims.dimension]: dims.value },
    period: Duration.hours(1),
    statistic: 'Sum',
  });
}

export class Observability extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { alarms } = props;
    for (const [alarmId, f, what] of props.functions) alarms.watchFunction(alarmId, f.fn, what);
    for (const [alarmId, queue, what] of props.deadLetterQueues)
      alarms.watchQueue(alarmId, queue, what, 'sent');

    alarms.watchAppMetric(
      'JobsFailed',
      'JobsFailed',
      'An on-demand report job ended failed (JobsFailed > 0); GET /reports/{id} and the worker log say why.',
    );
    alarms.watchAppMetric(
      'ApiFailures',
      'ApiFailures',
      'The reports API answered 5xx (ApiFailures > 0); its log has the request id.',
    );
    alarms.watch(
      'ApiGateway5xx',
      props.api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      'API Gateway answered 5xx (5XXError > 0): an integration or authorizer failure; see the API execution log.',
    );
    alarms.watchAppMetric(
      'DataApiRetriesExhausted',
      'DataApiRetriesExhausted',
      'A Data API fetch gave up after its retries or its time budget (DataApiRetriesExhausted > 0): the API was down, slow or rate-limited for long.',
    );
    alarms.watchAppMetric(
      'RowsRejected',
      'RowsRejected',
      `More than ${props.rejectedRowsThreshold} rows in an hour could not be read (RowsRejected): the API's row shape may have changed; the report logs name the reasons.`,
      { threshold: props.rejectedRowsThreshold, period: Duration.hours(1) },
    );
    alarms.watch(
      'EmailBounces',
      sesMetric('Bounce', props.mailMetrics),
      'A report email bounced (SES Bounce > 0): a recipient address is wrong or its mailbox refuses it.',
    );
    alarms.watch(
      'EmailComplaints',
      sesMetric('Complaint', props.mailMetrics),
      'A recipient marked a report email as spam (SES Complaint > 0): SES may pause sending if this repeats.',
    );

    const m = (name: string, statistic = 'Sum') =>
      alarms.appMetric(name, { period: Duration.hours(1), statistic });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
      widgets: [
        [
          new TextWidget({
            markdown:
              '# Call reports\nThe daily run: reports made, emails sent, how long a report took, calls fetched and rows rejected. Alarms go to the alarm topic.',
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({
            title: 'Reports made and emails sent',
            left: [m('ReportsMade'), m('EmailsSent')],
            width: 8,
          }),
          new GraphWidget({
            title: 'Report duration (ms)',
            left: [m('ReportDuration', 'Average'), m('ReportDuration', 'Maximum')],
            width: 8,
          }),
          new GraphWidget({ title: 'Calls fetched', left: [m('CallsFetched')], width: 8 }),
        ],
        [
          new GraphWidget({
            title: 'Rows rejected and parts dropped',
            left: [m('RowsRejected'), m('RowPartsDropped')],
            width: 8,
          }),
          new GraphWidget({
            title: 'Failures',
            left: [m('JobsFailed'), m('ApiFailures'), m('DataApiRetriesExhausted'), m('RejectedEvents')],
            width: 8,
          }),
          new SingleValueWidget({
            title: 'Email bounces and complaints (1 h)',
            metrics: [sesMetric('Bounce', props.mailMetrics), sesMetric('Complaint', props.mailMetrics)],
            width: 8,
          }),
        ],
      ],
    });
  }
}
