/**
 * The bot's webhook in the stack (issue 16, item 4): POST /telegram, made only
 * when a subscription names a chat, goes to the reports function with no
 * authorizer (Telegram's secret header is checked by the function), throttled
 * below the stage; the function gets the bot token's ARN and the Bot API's URL
 * and may read the token; the webhook's URL is an output for setWebhook.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TELEGRAM_THROTTLE } from '../../infra/constructs/reports-api.ts';
import { buildStack, exampleConfig, lambdaFunctions } from './support.ts';

const withChats = (over: Record<string, unknown> = {}) =>
  buildStack(
    exampleConfig({
      subscriptions: [
        { id: 'sales', recipients: ['head@example.com'], telegram: [{ chat_id: -1001234567890 }] },
      ],
      ...over,
    }),
  ).template;

function webhookMethods(t: Template): Array<Record<string, unknown>> {
  const resources = t.findResources('AWS::ApiGateway::Resource');
  const id = Object.entries(resources).find(
    ([, r]) => (r as { Properties: { PathPart: string } }).Properties.PathPart === 'telegram',
  )?.[0];
  return Object.values(t.findResources('AWS::ApiGateway::Method'))
    .map((m) => (m as { Properties: Record<string, unknown> }).Properties)
    .filter((p) => id !== undefined && (p.ResourceId as { Ref: string }).Ref === id);
}

const setting = (t: Template) =>
  (
    Object.values(t.findResources('AWS::ApiGateway::Stage'))[0] as {
      Properties: { MethodSettings: Array<Record<string, unknown>> };
    }
  ).Properties.MethodSettings.find((s) => s.ResourcePath === '/~1telegram');

const reportsFunction = (t: Template) =>
  Object.entries(lambdaFunctions(t)).find(([, r]) =>
    String(r.Properties.Description).startsWith('Call reports: POST /reports'),
  ) ?? ['', { Properties: {} as Record<string, unknown> }];

describe('the Telegram webhook route', () => {
  it('is not there when no subscription names a chat', () => {
    const t = buildStack(exampleConfig()).template;
    expect(webhookMethods(t)).toEqual([]);
    expect(setting(t)).toBeUndefined();
    expect(Object.keys(t.findOutputs('TelegramWebhookUrl'))).toEqual([]);
  });

  it('POST /telegram goes to the reports function with no authorizer, its URL an output', () => {
    const t = withChats();
    const methods = webhookMethods(t);
    expect(methods.map((m) => m.HttpMethod)).toEqual(['POST']);
    const [fnId] = reportsFunction(t);
    expect(methods[0]).toMatchObject({ AuthorizationType: 'NONE', Integration: { Type: 'AWS_PROXY' } });
    expect(methods[0]?.AuthorizerId).toBeUndefined();
    expect(JSON.stringify(methods[0]?.Integration)).toContain(`{"Fn::GetAtt":["${fnId}","Arn"]}`);
    expect(JSON.stringify(t.findOutputs('TelegramWebhookUrl'))).toContain('telegram');
  });

  it('is throttled below the stage, and never above its limits', () => {
    expect(setting(withChats())).toMatchObject({
      HttpMethod: 'POST',
      ThrottlingRateLimit: TELEGRAM_THROTTLE['/telegram/POST'].rateLimit,
      ThrottlingBurstLimit: TELEGRAM_THROTTLE['/telegram/POST'].burstLimit,
    });
    expect(setting(withChats({ apiThrottle: { rateLimit: 1, burstLimit: 3 } }))).toMatchObject({
      ThrottlingRateLimit: 1,
      ThrottlingBurstLimit: 3,
    });
  });

  it('gives the reports function the bot token’s ARN (never its value) and the Bot API’s URL', () => {
    const [, fn] = reportsFunction(withChats({ telegramApiUrl: 'https://bot-api.example.com' }));
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.TELEGRAM_BOT_TOKEN_SECRET_ARN).toEqual({ Ref: expect.stringMatching(/^TelegramBotToken/) });
    expect(env.TELEGRAM_API_URL).toBe('https://bot-api.example.com');
  });
});
