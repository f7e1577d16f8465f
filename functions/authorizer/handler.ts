/** API Gateway TOKEN authorizer for the Reports API: `Bearer <token>` checked against the kept tokens. */
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { createAuthorizerRuntime, handleAuthorizerEvent } from '../shared/lambda/authorizer.ts';
import { wrap } from '../shared/lambda/wrap.ts';

const runtime = createAuthorizerRuntime();

export const handler = wrap(runtime.logger, runtime.metrics, (event: APIGatewayTokenAuthorizerEvent) =>
  handleAuthorizerEvent(event, runtime),
);
