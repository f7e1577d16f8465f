/**
 * The one S3 client factory, for the Lambdas (built once per container) and the
 * command line alike. In Lambda the SDK finds region and credentials itself.
 * A local endpoint (`AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`, as the tests
 * set for s3rver) gets path-style addressing and checksums only where S3
 * requires them, which local S3 servers need and real S3 does not.
 */
import { S3Client } from '@aws-sdk/client-s3';

export function createS3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const local = Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
  return new S3Client({
    forcePathStyle: local,
    ...(local
      ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
  });
}
