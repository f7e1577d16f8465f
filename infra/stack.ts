/**
 * The one stack: storage, secrets, mail identity, the five functions, the
 * daily schedules, the REST API, and the alarms. Everything is named by
 * CloudFormation (no physical names), so two deployments never collide on a
 * name; the configuration comes in as a validated object, never from the
 * environment.
 */
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { DeployConfig } from './config.ts';
import { Alarms } from './constructs/alarms.ts';
import { CatalogTable } from './constructs/catalog-table.ts';
import { DailySchedules } from './constructs/daily-schedules.ts';
import { DeadLetterQueue } from './constructs/dead-letter-queue.ts';
import { HouseFunction } from './constructs/house-function.ts';
import { LockTable } from './constructs/lock-table.ts';
import { MailIdentity } from './constructs/mail-identity.ts';
import { acknowledge, resourceFinding } from './constructs/nag.ts';
import { Observability } from './constructs/observability.ts';
import { ReportsApi } from './constructs/reports-api.ts';
import { JOBS_PREFIX, REPORTS_PREFIX, ReportsBucket } from './constructs/reports-bucket.ts';
import { Secrets } from './constructs/secrets.ts';
import { TelegramChannel } from './constructs/telegram.ts';

/** The repository root: package.json, the lock file and `functions/`. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const FUNCTION_ENTRIES = {
  dailyReport: 'functions/daily-report/handler.ts',
  reportWorker: 'functions/report-worker/handler.ts',
  reportsApi: 'functions/reports-api/handler.ts',
  download: 'functions/download/handler.ts',
  authorizer: 'functions/authorizer/handler.ts',
} as const;

export const POWERTOOLS_ENV = {
  POWERTOOLS_SERVICE_NAME: 'call-reports',
  POWERTOOLS_METRICS_NAMESPACE: 'CallReports',
  POWERTOOLS_LOG_LEVEL: 'INFO',
} as const;

export interface CallReportsStackProps extends StackProps {
  config: DeployConfig;
  /** Where `functions/` lives (default: this repository). */
  projectRoot?: string;
}

export class CallReportsStack extends Stack {
  readonly storage: ReportsBucket;
  readonly secrets: Secrets;
  readonly api: ReportsApi;
  readonly alarms: Alarms;
  readonly schedules: DailySchedules;
  readonly functions: {
    dailyReport: HouseFunction;
    reportWorker: HouseFunction;
    reportsApi: HouseFunction;
    download: HouseFunction;
    authorizer: HouseFunction;
  };

  constructor(scope: Construct, id: string, props: CallReportsStackProps) {
    super(scope, id, {
      description: 'Call reports: daily and on-demand call reports from the UIS / CoMagic Data API',
      ...props,
    });
    const config = props.config;
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    const logRetention = config.logRetentionDays as RetentionDays;
    Tags.of(this).add('project', 'call-reports');

    this.storage = new ReportsBucket(this, 'Reports', {
      reportRetentionDays: config.reportRetentionDays,
      accessLogRetentionDays: config.logRetentionDays,
    });
    const bucket = this.storage.bucket;
    this.secrets = new Secrets(this, 'Secrets');
    const mail = new MailIdentity(this, 'Mail', { mailFrom: config.mailFrom, mode: config.sesIdentity });
    // The bot's parts exist when a subscription here names a chat, or when asked for chats the catalog gets later.
    const hasChats = config.telegramBot || config.subscriptions.some((s) => s.telegram.length > 0);
    this.api = new ReportsApi(this, 'Api', {
      throttle: config.apiThrottle,
      logRetention,
      telegramWebhook: hasChats,
    });
    this.alarms = new Alarms(this, 'Alarms', {
      email: config.alarmEmail,
      metrics: {
        namespace: POWERTOOLS_ENV.POWERTOOLS_METRICS_NAMESPACE,
        service: POWERTOOLS_ENV.POWERTOOLS_SERVICE_NAME,
      },
    });
    const locks = new LockTable(this, 'ReportClaims');
    // Accounts and subscriptions, read at run time (README, "Many customers"): none in the environment.
    const catalog = new CatalogTable(this, 'Catalog');

    // The Telegram channel, when a subscription names a chat (constructs/telegram.ts).
    const telegram = hasChats
      ? new TelegramChannel(this, 'Telegram', {
          apiUrl: config.telegramApiUrl,
          topic: this.alarms.topic,
          namespace: POWERTOOLS_ENV.POWERTOOLS_METRICS_NAMESPACE,
          service: POWERTOOLS_ENV.POWERTOOLS_SERVICE_NAME,
        })
      : null;

    const reserved = config.maxConcurrentReports === false ? undefined : config.maxConcurrentReports;
    const reportEnv = {
      REPORTS_BUCKET: bucket.bucketName,
      MGF_API_URL: config.dataApiUrl,
      MGF_TOKEN_SECRET_ARN: this.secrets.dataApiToken.secretArn,
      LINK_KEY_SECRET_ARN: this.secrets.linkKey.secretArn,
      MAIL_FROM: config.mailFrom,
      CATALOG_TABLE: catalog.table.tableName,
      DOWNLOAD_BASE_URL: this.api.downloadBaseUrl,
      LINK_TTL_DAYS: String(config.linkTtlDays),
      ATTACH_LIMIT_BYTES: String(config.attachLimitBytes),
      DATA_API_CONCURRENCY: String(config.dataApiConcurrency),
      DATA_API_MINUTE_LIMIT: String(config.dataApiMinuteLimit),
      LOCK_TABLE: locks.table.tableName,
      SES_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
      ...telegram?.environment,
      ...POWERTOOLS_ENV,
    };
    const base = { projectRoot, logRetention };

    const dailyFailures = new DeadLetterQueue(this, 'DailyReportFailures', {
      usedBy: 'asynchronous invocations of the daily-report function',
    });
    const dailyReport = new HouseFunction(this, 'DailyReport', {
      ...base,
      entry: FUNCTION_ENTRIES.dailyReport,
      description: 'Call reports: the daily report of one subscription (EventBridge Scheduler)',
      memorySize: 1024,
      timeout: Duration.minutes(15),
      environment: reportEnv,
      reservedConcurrentExecutions: reserved,
      // Idempotent (no second email for the same report): two more tries for a passing Data API hiccup.
      async: {
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        onFailure: new SqsDestination(dailyFailures.queue),
      },
    });

    const workerFailures = new DeadLetterQueue(this, 'ReportWorkerFailures', {
      usedBy: 'asynchronous invocations of the report-worker function',
    });
    const reportWorker = new HouseFunction(this, 'ReportWorker', {
      ...base,
      entry: FUNCTION_ENTRIES.reportWorker,
      description: 'Call reports: an on-demand report job (started by the reports API)',
      // 1769 MB is one full vCPU: a year of calls is parsed and written in one go.
      memorySize: 1769,
      timeout: Duration.minutes(15),
      environment: reportEnv,
      reservedConcurrentExecutions: reserved,
      async: {
        retryAttempts: 1,
        maxEventAge: Duration.hours(6),
        onFailure: new SqsDestination(workerFailures.queue),
      },
    });

    const reportsApi = new HouseFunction(this, 'ReportsApi', {
      ...base,
      entry: FUNCTION_ENTRIES.reportsApi,
      description:
        'Call reports: POST /reports, GET /reports/{id} and the quick links (GET, POST /q/{token})',
      memorySize: 512,
      timeout: Duration.seconds(10),
      environment: {
        REPORTS_BUCKET: bucket.bucketName,
        CATALOG_TABLE: catalog.table.tableName,
        WORKER_FUNCTION_NAME: reportWorker.fn.functionName,
        LINK_KEY_SECRET_ARN: this.secrets.linkKey.secretArn,
        DOWNLOAD_BASE_URL: this.api.downloadBaseUrl,
        LINK_TTL_DAYS: String(config.linkTtlDays),
        LOCK_TABLE: locks.table.tableName,
        ...POWERTOOLS_ENV,
        // The bot's webhook (POST /telegram) answers in the chats with the bot's token.
        ...telegram?.environment,
      },
    });

    const download = new HouseFunction(this, 'Download', {
      ...base,
      entry: FUNCTION_ENTRIES.download,
      description:
        'Call reports: GET /download/{token} (checks the signed link; the report page, or a redirect to S3)',
      memorySize: 256,
      timeout: Duration.seconds(10),
      environment: {
        REPORTS_BUCKET: bucket.bucketName,
        LINK_KEY_SECRET_ARN: this.secrets.linkKey.secretArn,
        LOCK_TABLE: locks.table.tableName,
        ...POWERTOOLS_ENV,
      },
    });

    const authorizer = new HouseFunction(this, 'Authorizer', {
      ...base,
      entry: FUNCTION_ENTRIES.authorizer,
      description: 'Call reports: bearer-token authorizer of the /reports routes',
      memorySize: 256,
      timeout: Duration.seconds(10),
      environment: {
        API_TOKENS_SECRET_ARN: this.secrets.apiTokens.secretArn,
        ...POWERTOOLS_ENV,
      },
    });

    this.functions = { dailyReport, reportWorker, reportsApi, download, authorizer };

    // Least privilege, function by function.
    for (const report of [dailyReport, reportWorker]) {
      this.storage.grantObjects(report.fn, REPORTS_PREFIX, { read: true, write: true, missingAs404: true });
      this.secrets.dataApiToken.grantRead(report.fn);
      this.secrets.linkKey.grantRead(report.fn);
      mail.grantSend(report.fn);
      locks.grantClaims(report.fn);
      catalog.grantRead(report.fn);
      catalog.grantAccountKeyReads(report.role);
      telegram?.grantPost(report.fn);
    }
    this.storage.grantObjects(reportWorker.fn, JOBS_PREFIX, { read: true, write: true, missingAs404: true });

    this.storage.grantObjects(reportsApi.fn, JOBS_PREFIX, { read: true, write: true, missingAs404: true });
    this.storage.grantObjects(reportsApi.fn, REPORTS_PREFIX, { read: true, missingAs404: true });
    this.secrets.linkKey.grantRead(reportsApi.fn);
    locks.grantCooldowns(reportsApi.fn);
    catalog.grantRead(reportsApi.fn);
    // The quick-link route (lambda/quick.ts) runs in this function and opens links like the download route.
    locks.grantRevocationReads(reportsApi.fn);
    reportWorker.fn.grantInvoke(reportsApi.fn);
    telegram?.grantPost(reportsApi.fn);
    acknowledge(
      reportsApi.role,
      `AwsSolutions-IAM5[${resourceFinding(this, `${reportWorker.fn.functionArn}:*`)}]`,
      'grantInvoke also allows the versions and aliases of the one report-worker function (ARN:*); no other function is reachable.',
    );

    // Presigning needs the permission the signed request will use; the link names an existing report.
    // The report page reads the summary beside the workbook; one past its retention must read as 404.
    this.storage.grantObjects(download.fn, REPORTS_PREFIX, { read: true, missingAs404: true });
    this.secrets.linkKey.grantRead(download.fn);
    locks.grantRevocationReads(download.fn);

    this.secrets.apiTokens.grantRead(authorizer.fn);

    this.api.addRoutes({
      reports: reportsApi.fn,
      download: download.fn,
      authorizer: authorizer.fn,
      ...(telegram ? { telegram: reportsApi.fn } : {}),
    });

    this.schedules = new DailySchedules(this, 'Schedules', {
      target: dailyReport.fn,
    });

    // Every failure seen: alarms on errors, dead-letter arrivals and the failures the code counts; a dashboard.
    new Observability(this, 'Observability', {
      alarms: this.alarms,
      functions: [
        ['DailyReportErrors', dailyReport, 'The daily report'],
        ['ReportWorkerErrors', reportWorker, 'An on-demand report'],
        ['ReportsApiErrors', reportsApi, 'The reports API'],
        ['DownloadErrors', download, 'The download route'],
        ['AuthorizerErrors', authorizer, 'The API authorizer'],
      ],
      deadLetterQueues: [
        ['ScheduleDeadLetters', this.schedules.deadLetterQueue.queue, 'the daily schedules'],
        ['DailyReportDeadLetters', dailyFailures.queue, 'the daily-report function'],
        ['ReportWorkerDeadLetters', workerFailures.queue, 'the report-worker function'],
      ],
      api: this.api.api,
      mailMetrics: mail.metricDimension,
      rejectedRowsThreshold: config.rejectedRowsAlarmThreshold,
    });

    // Outputs: where things are, never secret values.
    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'Base URL of the reports API' });
    new CfnOutput(this, 'ReportsBucketName', {
      value: bucket.bucketName,
      description: 'Where the reports are stored',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'Subscribe to this SNS topic for alarms',
    });
    new CfnOutput(this, 'DataApiTokenSecretArn', {
      value: this.secrets.dataApiToken.secretArn,
      description: 'Put the Data API key here (aws secretsmanager put-secret-value)',
    });
    // What the admin CLI's sync needs to seed the catalog and reconcile the schedules (cli/admin-main.ts).
    const adminOutputs: Array<[string, string, string]> = [
      [
        'CatalogTableName',
        catalog.table.tableName,
        'Accounts and subscriptions: npm run admin -- … (README, Many customers)',
      ],
      ['ScheduleGroupName', this.schedules.group.ref, 'The daily schedules, one per subscription'],
      ['DailyReportFunctionArn', dailyReport.fn.functionArn, 'What each schedule invokes'],
      ['SchedulerRoleArn', this.schedules.role.roleArn, 'The role each schedule invokes it with'],
      [
        'ScheduleDeadLetterQueueArn',
        this.schedules.deadLetterQueue.queue.queueArn,
        'Where failed deliveries go',
      ],
      ['ScheduleWindowMinutes', String(config.scheduleWindowMinutes), 'The schedules flexible window'],
    ];
    for (const [id, value, description] of adminOutputs) new CfnOutput(this, id, { value, description });
    new CfnOutput(this, 'ApiTokensSecretArn', {
      value: this.secrets.apiTokens.secretArn,
      description: 'Bearer tokens of the reports API (aws secretsmanager get-secret-value)',
    });
    new CfnOutput(this, 'LinkKeySecretArn', {
      value: this.secrets.linkKey.secretArn,
      description: 'Key ring that signs the links (README: rotating the link key)',
    });
    new CfnOutput(this, 'LinksTableName', {
      value: locks.table.tableName,
      description:
        'Holds the links revocation list: npm run revoke -- --table <this> (README: revoking links)',
    });
    if (telegram) {
      new CfnOutput(this, 'TelegramBotTokenSecretArn', {
        value: telegram.botToken.secretArn,
        description: 'Put the Telegram bot token from @BotFather here (aws secretsmanager put-secret-value)',
      });
      new CfnOutput(this, 'TelegramWebhookUrl', {
        value: `${this.api.api.url}telegram`,
        description: "The bot's commands: register this webhook with npm run telegram:webhook (README)",
      });
    }
    if (mail.identity && config.sesIdentity === 'domain') {
      for (const [i, record] of mail.identity.dkimRecords.entries()) {
        new CfnOutput(this, `DkimRecord${i + 1}`, {
          value: `${record.name} CNAME ${record.value}`,
          description: `SES DKIM record ${i + 1} of 3 to add to the DNS of the sender's domain`,
        });
      }
    }
  }
}
