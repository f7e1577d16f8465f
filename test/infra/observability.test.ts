/**
 * Every failure seen (infra/constructs/observability.ts, alarms.ts): alarms on
 * the failures the code counts, API 5xx, rejected rows above the configured
 * threshold, Data API retries exhausted, dead-letter arrivals by the metric
 * each kind of queue needs, SES bounces and complaints through a configuration
 * set with a CloudWatch event destination; and the one-page dashboard.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { Alarms } from '../../infra/constructs/alarms.ts';
import { buildStack, exampleConfig, lambdaFunctions } from './support.ts';

const { template } = buildStack();
const topic = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };
const APP = { Name: 'service', Value: 'call-reports' };

describe('alarms on what the code counts', () => {
  it.each([
    ['JobsFailed', 300, 0],
    ['ApiFailures', 300, 0],
    ['DataApiRetriesExhausted', 300, 0],
    ['RowsRejected', 3600, 10],
  ])('%s: its Sum over %i s above %i notifies the topic', (name, period, threshold) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'CallReports',
      MetricName: name,
      Dimensions: [APP],
      Statistic: 'Sum',
      Period: period,
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
    });
  });

  it('takes the rejected-rows threshold from the config', () => {
    const t = buildStack(exampleConfig({ rejectedRowsAlarmThreshold: 250 })).template;
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'RowsRejected', Threshold: 250 });
  });

  it('alarms on API Gateway’s own 5xx too', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Statistic: 'Sum',
      Threshold: 0,
      AlarmActions: [topic],
    });
  });
});

describe('dead-letter queues alarm on arrivals, not on the level', () => {
  it('a queue written with SendMessage (destinations, Scheduler): NumberOfMessagesSent', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties.Namespace === 'AWS/SQS',
    );
    expect(alarms).toHaveLength(3);
    for (const a of alarms)
      expect(a.Properties).toMatchObject({ MetricName: 'NumberOfMessagesSent', Statistic: 'Sum' });
  });

  it('a redrive target (SQS moves messages in, uncounted by NumberOfMessagesSent): the visible count’s increase', () => {
    const stack = new Stack(new App(), 'Bare');
    const alarms = new Alarms(stack, 'Alarms', {
      metrics: { namespace: 'CallReports', service: 'call-reports' },
    });
    alarms.watchQueue('Redriven', new Queue(stack, 'Dlq'), 'a queue', 'redrive');
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(DIFF(visible) > 0, DIFF(visible), 0)' }),
        Match.objectLike({
          Id: 'visible',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'ApproximateNumberOfMessagesVisible' }),
            Stat: 'Maximum',
          }),
        }),
      ]),
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });
});

describe('SES bounces and complaints', () => {
  it('go through one configuration set with a CloudWatch event destination', () => {
    template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        CloudWatchDestination: {
          DimensionConfigurations: [
            {
              DimensionName: 'CallReports',
              DimensionValueSource: 'messageTag',
              DefaultDimensionValue: 'emails',
            },
          ],
        },
      }),
    });
  });

  it.each(['Bounce', 'Complaint'])('alarm on %s > 0 in an hour', (name) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SES',
      MetricName: name,
      Dimensions: [{ Name: 'CallReports', Value: 'emails' }],
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 0,
      AlarmActions: [topic],
    });
  });

  it('is the set the report functions send through, and may send through', () => {
    const set = { Ref: Object.keys(template.findResources('AWS::SES::ConfigurationSet'))[0] };
    const reports = Object.values(lambdaFunctions(template)).filter(
      (f) => (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables.MGF_API_URL,
    );
    expect(reports).toHaveLength(2);
    for (const f of reports) {
      expect(
        (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables.SES_CONFIGURATION_SET,
      ).toEqual(set);
    }
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain(':configuration-set/');
  });
});

describe('the dashboard', () => {
  it('is one page of the daily run: reports made, emails sent, duration, calls fetched, rejected rows', () => {
    const boards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(boards).toHaveLength(1);
    const body = JSON.stringify(boards[0]?.Properties.DashboardBody);
    for (const name of ['ReportsMade', 'EmailsSent', 'ReportDuration', 'CallsFetched', 'RowsRejected'])
      expect(body).toContain(`\\"${name}\\"`);
  });
});
