/** Reports API: POST /reports and GET /reports/{id} behind the bearer-token authorizer. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createApiRuntime, handleApiRequest } from '../shared/lambda/api.ts';
import { wrap } from '../shared/lambda/wrap.ts';

const runtime = createApiRuntime();

export const handler = wrap(runtime.logger, runtime.metrics, (event: APIGatewayProxyEvent) =>
  handleApiRequest(event, runtime),
);
