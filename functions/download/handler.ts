/** Download route: GET /download/{token} → 302 to a presigned S3 URL made now, or a clear refusal. */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createS3Client } from '../shared/adapters/aws/clients.ts';
import { presignDownload } from '../shared/adapters/aws/presign.ts';
import { downloadConfigSchema, loadConfig } from '../shared/config.ts';
import { downloadResponse } from '../shared/delivery/download.ts';
import { createLogger } from '../shared/lambda/observability.ts';
import { Secrets } from '../shared/lambda/secrets.ts';
import { wrap } from '../shared/lambda/wrap.ts';

const logger = createLogger();
const config = loadConfig(downloadConfigSchema, process.env);
const s3 = createS3Client();
const secrets = new Secrets(new SecretsManagerClient({}));

export const handler = wrap(
  logger,
  null,
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const accept = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'accept')?.[1];
    const res = await downloadResponse(event.pathParameters?.token, accept, {
      secret: await secrets.text(config.LINK_KEY_SECRET_ARN, 'link-signing key'),
      now: Date.now(),
      presign: (key) => presignDownload(s3, config.REPORTS_BUCKET, key),
    });
    logger.info('Download', { status: res.statusCode });
    return res;
  },
);
