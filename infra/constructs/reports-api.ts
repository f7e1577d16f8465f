/**
 * The REST API (API Gateway v1, regional, stage `v1`):
 *
 *   POST /reports           start an on-demand report   (bearer token)
 *   GET  /reports/{id}      its status and figures      (bearer token)
 *   GET  /download/{token}  the emailed link: the report page, or the file with ?format=xlsx
 *                           (public: the signed token is the authorisation)
 *   GET  /q/{token}         a quick link: makes or finds its period's report, shows it (public, signed token)
 *   POST /q/{token}         the quick link's page asks for its email (public, signed token)
 *   POST /telegram          the Telegram bot's webhook, when a subscription names a chat (public:
 *                           Telegram's X-Telegram-Bot-Api-Secret-Token header, checked by the function)
 *
 * Bearer tokens are checked by a Lambda TOKEN authorizer (`Authorization:
 * Bearer <token>`, results cached 5 minutes). Stage throttling from the
 * config, JSON access logs (never the request path: it carries the download
 * token), execution logs at ERROR level without request data, basic request
 * validation, and JSON error bodies `{"error":{"code","message","field"}}` for
 * the errors API Gateway answers itself.
 *
 * Built in two steps: the API first (the functions need its id for their
 * download links, taken from `restApiId` and the fixed stage name rather than
 * `api.url`, which would make a dependency cycle through the deployment), then
 * `addRoutes` once the functions exist.
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  JsonSchemaType,
  JsonSchemaVersion,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type Model,
  type RequestValidator,
  ResponseType,
  RestApi,
  TokenAuthorizer,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

export const API_STAGE = 'v1';
export const AUTHORIZER_CACHE_TTL = Duration.minutes(5);
/** What API Gateway accepts before it calls the authorizer. */
export const BEARER_PATTERN = '^Bearer [-A-Za-z0-9._~+/]+=*$';

/**
 * Per-route throttling under the stage's: the link routes are public (the
 * token is the authorisation), so each has its own lower ceiling; a quick
 * link may start a report (GET) or an email (POST), so it gets the lowest.
 * Each is capped at the stage's own limits.
 */
export const LINK_THROTTLE = {
  '/download/{token}/GET': { rateLimit: 5, burstLimit: 10 },
  '/q/{token}/GET': { rateLimit: 2, burstLimit: 5 },
  '/q/{token}/POST': { rateLimit: 1, burstLimit: 2 },
} as const;

/** The bot's webhook: Telegram's updates (setWebhook's max_connections is 5), and anyone who finds the URL. */
export const TELEGRAM_THROTTLE = { '/telegram/POST': { rateLimit: 5, burstLimit: 10 } } as const;

export interface ReportsApiProps {
  throttle: { rateLimit: number; burstLimit: number };
  logRetention: RetentionDays;
  /** The Telegram bot's webhook route (POST /telegram) is made: a subscription names a chat. */
  telegramWebhook?: boolean;
}

export interface ReportsApiRoutes {
  reports: IFunction;
  download: IFunction;
  authorizer: IFunction;
  /** The function of POST /telegram (the reports function), when the stack has the Telegram channel. */
  telegram?: IFunction;
}

const errorBody = (code: string, message: string) =>
  JSON.stringify({ error: { code, message, field: null } });

export class ReportsApi extends Construct {
  readonly api: RestApi;
  readonly accessLogs: LogGroup;
  readonly executionLogs: LogGroup;
  /** `https://{id}.execute-api.{region}.{suffix}/v1/download/`, without a reference to the stage. */
  readonly downloadBaseUrl: string;
  private readonly validator: RequestValidator;
  private readonly reportRequestModel: Model;

  constructor(scope: Construct, id: string, props: ReportsApiProps) {
    super(scope, id);

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.api = new RestApi(this, 'Api', {
      description: 'Call reports: on-demand reports and download links',
      endpointTypes: [EndpointType.REGIONAL],
      // API Gateway writes to CloudWatch Logs through one role per account and
      // region (AWS::ApiGateway::Account); without it no access logs are written.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: API_STAGE,
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
        methodOptions: Object.fromEntries(
          Object.entries({ ...LINK_THROTTLE, ...(props.telegramWebhook ? TELEGRAM_THROTTLE : {}) }).map(
            ([path, t]) => [
              path,
              {
                throttlingRateLimit: Math.min(t.rateLimit, props.throttle.rateLimit),
                throttlingBurstLimit: Math.min(t.burstLimit, props.throttle.burstLimit),
              },
            ],
          ),
        ),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: false,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            requestTime: AccessLogField.contextRequestTime(),
            ip: AccessLogField.contextIdentitySourceIp(),
            userAgent: AccessLogField.contextIdentityUserAgent(),
            httpMethod: AccessLogField.contextHttpMethod(),
            resourcePath: AccessLogField.contextResourcePath(),
            status: AccessLogField.contextStatus(),
            responseLength: AccessLogField.contextResponseLength(),
            responseLatency: AccessLogField.contextResponseLatency(),
            integrationStatus: AccessLogField.contextIntegrationStatus(),
            principalId: AccessLogField.contextAuthorizerPrincipalId(),
            authorizerError: AccessLogField.contextAuthorizerError(),
            errorType: AccessLogField.contextErrorResponseType(),
            error: AccessLogField.contextErrorMessage(),
          }),
        ),
      },
    });

    // The execution log group API Gateway would otherwise create itself, without retention.
    this.executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${API_STAGE}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.downloadBaseUrl = `https://${this.api.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${API_STAGE}/download/`;

    this.validator = this.api.addRequestValidator('Validator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    // Only the shape: the reports function checks the fields and names the bad one.
    this.reportRequestModel = this.api.addModel('ReportRequest', {
      contentType: 'application/json',
      schema: { schema: JsonSchemaVersion.DRAFT4, title: 'ReportRequest', type: JsonSchemaType.OBJECT },
    });

    const responses: Array<[string, ResponseType, string, string, string]> = [
      [
        'Unauthorized',
        ResponseType.UNAUTHORIZED,
        '401',
        'unauthorized',
        'Send a valid API token: Authorization: Bearer <token>',
      ],
      [
        'AccessDenied',
        ResponseType.ACCESS_DENIED,
        '403',
        'forbidden',
        'This API token is not valid for this API',
      ],
      ['NoSuchRoute', ResponseType.MISSING_AUTHENTICATION_TOKEN, '404', 'not_found', 'No such route'],
      [
        'BadRequestBody',
        ResponseType.BAD_REQUEST_BODY,
        '400',
        'invalid_body',
        'The body must be a JSON object',
      ],
      [
        'BadRequestParameters',
        ResponseType.BAD_REQUEST_PARAMETERS,
        '400',
        'invalid_request',
        'A required parameter is missing',
      ],
      ['Throttled', ResponseType.THROTTLED, '429', 'throttled', 'Too many requests: try again in a moment'],
    ];
    for (const [rid, type, statusCode, code, message] of responses) {
      this.api.addGatewayResponse(rid, {
        type,
        statusCode,
        responseHeaders: { 'Content-Type': "'application/json'" },
        templates: { 'application/json': errorBody(code, message) },
      });
    }
    for (const [rid, type, code] of [
      ['Default4xx', ResponseType.DEFAULT_4XX, 'bad_request'],
      ['Default5xx', ResponseType.DEFAULT_5XX, 'internal_error'],
    ] as const) {
      this.api.addGatewayResponse(rid, {
        type,
        responseHeaders: { 'Content-Type': "'application/json'" },
        // messageString is the message already quoted as a JSON string.
        templates: {
          'application/json': `{"error":{"code":"${code}","message":$context.error.messageString,"field":null}}`,
        },
      });
    }

    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      acknowledge(
        cloudWatchRole,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        "API Gateway's account-level logging role needs to create and write the log groups of any API in the account and region; AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents for exactly that role.",
      );
    }
    acknowledge(
      this.api.deploymentStage,
      'AwsSolutions-APIG3',
      'A low-volume internal API behind bearer tokens, HMAC-signed links and stage throttling; a WAF web ACL (from ~5 USD a month) adds little here. Associate one with the stage if the deployment needs IP allow-listing.',
    );
  }

  addRoutes(fns: ReportsApiRoutes): void {
    const authorizer = new TokenAuthorizer(this, 'Authorizer', {
      handler: fns.authorizer,
      identitySource: 'method.request.header.Authorization',
      validationRegex: BEARER_PATTERN,
      resultsCacheTtl: AUTHORIZER_CACHE_TTL,
    });
    const reportsIntegration = new LambdaIntegration(fns.reports, { proxy: true, allowTestInvoke: false });
    const downloadIntegration = new LambdaIntegration(fns.download, { proxy: true, allowTestInvoke: false });
    const authorised = {
      authorizer,
      authorizationType: AuthorizationType.CUSTOM,
      requestValidator: this.validator,
    };

    const reports = this.api.root.addResource('reports');
    const post = reports.addMethod('POST', reportsIntegration, {
      ...authorised,
      requestParameters: { 'method.request.header.Authorization': true },
      requestModels: { 'application/json': this.reportRequestModel },
    });
    const get = reports.addResource('{id}').addMethod('GET', reportsIntegration, {
      ...authorised,
      requestParameters: { 'method.request.header.Authorization': true, 'method.request.path.id': true },
    });
    for (const method of [post, get]) {
      acknowledge(
        method,
        'AwsSolutions-COG4',
        'Callers are scripts and integrations holding an API token, not Cognito users: a Lambda TOKEN authorizer checks the bearer token against the API-tokens secret.',
      );
    }

    const download = this.api.root
      .addResource('download')
      .addResource('{token}')
      .addMethod('GET', downloadIntegration, {
        authorizationType: AuthorizationType.NONE,
        requestValidator: this.validator,
        requestParameters: { 'method.request.path.token': true },
      });
    for (const rule of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
      acknowledge(
        download,
        rule,
        'The download link is opened from an email by people without API credentials: the HMAC-SHA256-signed, expiring token in the path is the authorisation, checked by the download function in constant time.',
      );
    }

    // Quick links: the reports function's own route, no authorizer (the signed quick token is checked there).
    const quick = this.api.root.addResource('q').addResource('{token}');
    for (const verb of ['GET', 'POST']) {
      const method = quick.addMethod(verb, reportsIntegration, {
        authorizationType: AuthorizationType.NONE,
        requestValidator: this.validator,
        requestParameters: { 'method.request.path.token': true },
      });
      for (const rule of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
        acknowledge(
          method,
          rule,
          'A quick link is opened from an email by people without API credentials: its HMAC-SHA256-signed, expiring token names the subscription, the period rule and the scopes, and is checked (with the revocation list) by the reports function before anything is made or sent; emailing goes to the subscription’s own recipients under a cooldown.',
        );
      }
    }

    // The bot's webhook: no authorizer; the function compares Telegram's secret header before reading anything.
    if (fns.telegram) {
      const webhook = this.api.root
        .addResource('telegram')
        .addMethod('POST', new LambdaIntegration(fns.telegram, { proxy: true, allowTestInvoke: false }), {
          authorizationType: AuthorizationType.NONE,
        });
      for (const rule of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
        acknowledge(
          webhook,
          rule,
          'Telegram calls the webhook without AWS or Cognito credentials: it sends the secret_token given to setWebhook (derived from the bot token) in X-Telegram-Bot-Api-Secret-Token, which the reports function compares in constant time before reading the update; a wrong or missing one is 403/401 with nothing done.',
        );
      }
    }
  }
}
