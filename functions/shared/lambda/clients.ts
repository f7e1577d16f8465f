/**
 * AWS clients as the handlers build them, once per container. In Lambda the SDK
 * finds region and credentials itself. A local endpoint (`AWS_ENDPOINT_URL_S3`,
 * as the tests set for s3rver) gets path-style addressing, which local S3
 * servers need and real S3 does not.
 */
import { S3Client } from '@aws-sdk/client-s3';

export function createS3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  return new S3Client({ forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3) });
}
