/**
 * The Telegram channel in the stack (issue 16, items 2 and 3): made only when
 * a subscription names a chat; the bot token in a secret of its own, read
 * only by the two functions that post; their Telegram settings (the secret's
 * ARN, never its value, and the Bot API's base URL); an alarm on TelegramFailed.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DATA_API_TOKEN_PLACEHOLDER } from '../../infra/constructs/secrets.ts';
import { buildStack, exampleConfig } from './support.ts';

const withChats = (over: Record<string, unknown> = {}) =>
  buildStack(
    exampleConfig({
      subscriptions: [
        {
          id: 'sales',
          recipients: ['head@example.com'],
          telegram: [{ chat_id: -1001234567890, thread_id: 7 }],
        },
        { id: 'support', recipients: ['support@example.com'] },
      ],
      ...over,
    }),
  ).template;

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

const botSecretIds = (resources: Resources) =>
  Object.entries(resources)
    .filter(([id, r]) => r.Type === 'AWS::SecretsManager::Secret' && id.startsWith('TelegramBotToken'))
    .map(([id]) => id);

/** The functions (by description) whose roles may read the secret `secretId`. */
function readersOf(resources: Resources, secretId: string): string[] {
  const roles = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) =>
      (
        r.Properties.PolicyDocument as { Statement: Array<{ Action: unknown; Resource: unknown }> }
      ).Statement.some(
        (s) =>
          [s.Action].flat().includes('secretsmanager:GetSecretValue') &&
          JSON.stringify(s.Resource).includes(`"${secretId}"`),
      ),
    )
    .flatMap((r) => (r.Properties.Roles as Array<{ Ref: string }>).map((x) => x.Ref));
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function')
    .filter((r) => roles.includes((r.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]))
    .map((r) => String(r.Properties.Description).split(' (')[0] as string)
    .sort();
}

describe('the Telegram channel in the stack', () => {
  it('is not there when no subscription names a chat', () => {
    const t = buildStack(exampleConfig()).template;
    expect(botSecretIds(t.toJSON().Resources as Resources)).toEqual([]);
    expect(JSON.stringify(t.toJSON())).not.toMatch(/TELEGRAM_|TelegramFailed/);
  });

  it('is there with telegramBot: true though no subscription of the file names a chat (chats the catalog gets later)', () => {
    const t = buildStack(exampleConfig({ telegramBot: true })).template;
    const resources = t.toJSON().Resources as Resources;
    expect(botSecretIds(resources)).toHaveLength(1);
    expect(readersOf(resources, botSecretIds(resources)[0] as string).length).toBeGreaterThan(0);
    t.hasOutput('TelegramWebhookUrl', {});
  });

  it('keeps the bot token in a secret of its own, a placeholder until the user puts the token', () => {
    const t = withChats();
    const resources = t.toJSON().Resources as Resources;
    const [id] = botSecretIds(resources);
    expect(resources[id as string]?.Properties).toMatchObject({
      SecretString: DATA_API_TOKEN_PLACEHOLDER,
      Description: expect.stringContaining('@BotFather'),
    });
    t.hasOutput('TelegramBotTokenSecretArn', { Value: { Ref: id } });
  });

  it("lets only the functions that post read the token (the reports function answers the bot's commands)", () => {
    const resources = withChats().toJSON().Resources as Resources;
    const [id] = botSecretIds(resources);
    expect(readersOf(resources, id as string)).toEqual([
      'Call reports: POST /reports, GET /reports/{id} and the quick links',
      'Call reports: an on-demand report job',
      'Call reports: the daily report of one subscription',
    ]);
  });

  it('gives those functions the secret’s ARN, never its value, and the Bot API’s base URL', () => {
    const t = withChats({ telegramApiUrl: 'https://bot-api.example.com' });
    const resources = t.toJSON().Resources as Resources;
    const [id] = botSecretIds(resources);
    const envs = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => (r.Properties.Environment as { Variables: Record<string, unknown> }).Variables);
    const posting = envs.filter((v) => 'TELEGRAM_BOT_TOKEN_SECRET_ARN' in v);
    expect(posting).toHaveLength(3);
    for (const v of posting) {
      expect(v.TELEGRAM_BOT_TOKEN_SECRET_ARN).toEqual({ Ref: id });
      expect(v.TELEGRAM_API_URL).toBe('https://bot-api.example.com');
    }
  });

  it('alarms on the first TelegramFailed, to the alarm topic', () => {
    withChats().hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'TelegramFailed',
      Namespace: 'CallReports',
      Dimensions: [{ Name: 'service', Value: 'call-reports' }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
    });
  });

  it('refuses a Bot API URL that is not https', () => {
    expect(() => withChats({ telegramApiUrl: 'http://bot-api.example.com' })).toThrow(
      /telegramApiUrl: must be an https:\/\/ URL/,
    );
  });
});
