/**
 * The TOKEN authorizer as a Lambda: its runtime, built once per container (the
 * API's bearer tokens from Secrets Manager, cached), and the one function an
 * authorizer event is handed to. The token check and the policy are
 * http/authorizer.ts's; here each decision is logged (`Authorization`, whether
 * allowed, never a token) and counted: `Authorized`, `Denied` (a wrong token,
 * 403), `Unauthorized` (no bearer token, 401).
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { authorizerConfigSchema, loadConfig } from '../config.ts';
import { authorizerPolicy, bearerToken, tokenMatches, UNAUTHORIZED } from '../http/authorizer.ts';
import { createLogger, createMetrics, type Logger, type Metrics, MetricUnit } from './observability.ts';
import { Secrets } from './secrets.ts';

export interface AuthorizerRuntime {
  logger: Logger;
  metrics: Metrics;
  /** The bearer tokens the API accepts. */
  tokens: () => Promise<string[]>;
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
  const allowed = tokenMatches(token, await rt.tokens());
  rt.logger.info('Authorization', { allowed });
  rt.metrics.addMetric(allowed ? 'Authorized' : 'Denied', MetricUnit.Count, 1);
  return authorizerPolicy(event.methodArn, allowed);
}
