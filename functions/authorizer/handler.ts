/**
 * API Gateway TOKEN authorizer for the Reports API. API Gateway itself answers
 * 401 when there is no Authorization header; a header that is not
 * `Bearer <token>` is also 401 ("Unauthorized"), a wrong token 403 (Deny).
 * Tokens come from Secrets Manager (cached) and are compared in constant time;
 * neither the given token nor the kept ones are ever logged.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { bearerToken, tokenMatches } from '../shared/api/auth.ts';
import { authorizerConfigSchema, loadConfig } from '../shared/config.ts';
import { createLogger } from '../shared/lambda/observability.ts';
import { Secrets } from '../shared/lambda/secrets.ts';
import { wrap } from '../shared/lambda/wrap.ts';

const logger = createLogger();
const config = loadConfig(authorizerConfigSchema, process.env);
const secrets = new Secrets(new SecretsManagerClient({}));

export const handler = wrap(
  logger,
  null,
  async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const token = bearerToken(event.authorizationToken);
    if (token === null) throw new Error('Unauthorized'); // API Gateway answers 401
    const allowed = tokenMatches(token, await secrets.tokens(config.API_TOKENS_SECRET_ARN));
    logger.info('Authorization', { allowed });
    // The policy covers the whole API (cached per token), so it names the stage's methods, not this one call.
    const arn = event.methodArn.split('/').slice(0, 2).join('/');
    return {
      principalId: 'api-client',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: 'execute-api:Invoke', Effect: allowed ? 'Allow' : 'Deny', Resource: `${arn}/*` },
        ],
      },
    };
  },
);
