/**
 * The Telegram channel's part of the stack, made only when a subscription
 * names a chat: the bot token's own secret (a placeholder until the user puts
 * the token @BotFather gave; only the functions that post may read it), the
 * functions' Telegram settings (the secret's ARN, the Bot API's base URL),
 * and an alarm on the `TelegramFailed` metric the report functions emit when
 * a chat could not be posted to.
 */
import { Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';
import { DATA_API_TOKEN_PLACEHOLDER } from './secrets.ts';

export interface TelegramChannelProps {
  /** The Bot API's base URL (telegramApiUrl). */
  apiUrl: string;
  /** Where the alarm goes. */
  topic: ITopic;
  /** The metrics' namespace and service (the functions' Powertools settings). */
  namespace: string;
  service: string;
}

export class TelegramChannel extends Construct {
  /** SecretString = the bot's token (set by the user after deploy). */
  readonly botToken: Secret;
  readonly alarm: Alarm;
  private readonly apiUrl: string;

  constructor(scope: Construct, id: string, props: TelegramChannelProps) {
    super(scope, id);
    this.apiUrl = props.apiUrl;
    this.botToken = new Secret(this, 'BotToken', {
      description:
        'Call reports: the Telegram bot token from @BotFather. Set it after deploy with aws secretsmanager put-secret-value (see the README).',
      // The same placeholder as the Data API key's: the functions read it as "no value yet".
      secretStringValue: SecretValue.unsafePlainText(DATA_API_TOKEN_PLACEHOLDER),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.botToken,
      'AwsSolutions-SMG4',
      'The bot token is issued by Telegram (@BotFather) and cannot be rotated from AWS; the user replaces it with put-secret-value after /revoke in @BotFather.',
    );

    this.alarm = new Alarm(this, 'PostFailures', {
      metric: new Metric({
        namespace: props.namespace,
        metricName: 'TelegramFailed',
        dimensionsMap: { service: props.service },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      alarmDescription:
        'A report could not be posted to a Telegram chat (TelegramFailed > 0): the daily-report log names the subscription, the chat and what to do.',
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new SnsAction(props.topic));
  }

  /** The settings of a function that posts. */
  get environment(): Record<string, string> {
    return { TELEGRAM_BOT_TOKEN_SECRET_ARN: this.botToken.secretArn, TELEGRAM_API_URL: this.apiUrl };
  }

  /** Lets a function that posts read the token. */
  grantPost(fn: IFunction): void {
    this.botToken.grantRead(fn);
  }
}
