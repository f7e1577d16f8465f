/** Download route: GET /download/{token} → 302 to a presigned S3 URL made now, or a clear refusal. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createDownloadRuntime, handleDownloadRequest } from '../shared/lambda/download.ts';
import { wrap } from '../shared/lambda/wrap.ts';

const runtime = createDownloadRuntime();

export const handler = wrap(runtime.logger, runtime.metrics, (event: APIGatewayProxyEvent) =>
  handleDownloadRequest(event, runtime),
);
