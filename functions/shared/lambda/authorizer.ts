/**
 * The TOKEN authorizer as a Lambda: its runtime, built once per container (the
 * API's bearer tokens from Secrets Manager, cached), and the one function an
 * authorizer event is handed to. The token check and the policy are
 * http/authorizer.ts's; here each decision is logged (`Authorization`, whether
 * allowed, the token's name and scopes, never a token) and counted: `Authorized`, `Denied` (a wrong token,
 * 403), `Unauthorized` (no bearer token, 401).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { authorizerConfigSchema, loadConfig } from '../config.ts';
import type { ApiToken } from '../http/api-tokens.ts';
import { authorizerPolicy, bearerToken, matchToken, UNAUTHORIZED } from '../http/authorizer.ts';
import { createLogger, createMetrics, type Logger, type Metrics, MetricUnit } from './observability.ts';
import { Secrets } from './secrets.ts';

export interface AuthorizerRuntime {
  logger: Logger;
  metrics: Metrics;
  /** The bearer tokens the API accepts, with their scopes. */
  tokens: () => Promise<ApiToken[]>;
}

export function createAuthorizerRuntime(env: NodeJS.ProcessEnv = process.env): AuthorizerRuntime {
  const config = loadConfig(authorizerConfigSchema, env);
  const secrets = new Secrets(new SecretsManagerClient({}));
  return {
    logger: createLogger(),
    metrics: createMetrics(),
    tokens: () => secrets.tokens(config.API_TOKENS_SECRET_ARN),
  };
}

export async function handleAuthorizerEvent(
  event: APIGatewayTokenAuthorizerEvent,
  rt: AuthorizerRuntime,
): Promise<APIGatewayAuthorizerResult> {
  const token = bearerToken(event.authorizationToken);
  if (token === null) {
    rt.metrics.addMetric('Unauthorized', MetricUnit.Count, 1);
    throw new Error(UNAUTHORIZED); // API Gateway answers 401
  }
  const match = matchToken(token, await rt.tokens());
  rt.logger.info('Authorization', {
    allowed: match !== null,
    ...(match ? { principal: match.name, scopes: match.scopes } : {}),
  });
  rt.metrics.addMetric(match ? 'Authorized' : 'Denied', MetricUnit.Count, 1);
  return authorizerPolicy(event.methodArn, match);
}
