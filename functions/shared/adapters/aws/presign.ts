/**
 * Short-lived S3 download URLs, made afresh on each click of an emailed link
 * (see links.ts: a URL presigned with a Lambda role's session dies with it).
 *
 * The URL is signed on `host` only, so a browser's plain GET matches it. The
 * SDK's flexible-checksum middleware adds `x-amz-checksum-mode: ENABLED` to
 * every GetObject while `responseChecksumValidation` is `WHEN_SUPPORTED` (the
 * default); left alone, the presigner hoists it into the query string. It is
 * marked unhoistable and unsignable here, so it stays out of the URL and out of
 * the signature.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export const DEFAULT_PRESIGN_SECONDS = 300;
/** SigV4 query signing allows at most seven days. */
export const MAX_PRESIGN_SECONDS = 604_800;

const LEFT_OUT_HEADERS = ['x-amz-checksum-mode'];

export async function presignDownload(
  client: S3Client,
  bucket: string,
  key: string,
  opts: { expiresInSeconds?: number } = {},
): Promise<string> {
  const expiresIn = opts.expiresInSeconds ?? DEFAULT_PRESIGN_SECONDS;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_SECONDS) {
    throw new RangeError(`A presigned URL lasts 1 to ${MAX_PRESIGN_SECONDS} whole seconds, not ${expiresIn}`);
  }
  const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), {
    expiresIn,
    unhoistableHeaders: new Set(LEFT_OUT_HEADERS),
    unsignableHeaders: new Set(LEFT_OUT_HEADERS),
  });
  const signed = new URL(url).searchParams.get('X-Amz-SignedHeaders');
  if (signed !== 'host') {
    // A header a browser does not send would make every click fail: refuse to hand it out.
    throw new Error(`The presigned URL for s3://${bucket}/${key} signs "${signed}", not just "host"`);
  }
  return url;
}
