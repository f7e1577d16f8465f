/** The environment that points the AWS SDK at the local peers (s3rver, aws-ses-v2-local, dynalite). */
import type { LocalDynamo } from './dynalite.ts';
import { type LocalS3, S3RVER_CREDENTIALS } from './s3rver.ts';
import type { SesLocal } from './ses-local.ts';

export function localAwsEnv(s3: LocalS3, ses: SesLocal, dynamo: LocalDynamo): Record<string, string> {
  return {
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    // Checksums only where an operation requires them, like the tests' own S3 client (s3rver.ts).
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  };
}
