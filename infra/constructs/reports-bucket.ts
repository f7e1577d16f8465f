/**
 * The reports bucket: workbooks, summaries, manifests and emails under
 * `reports/`, on-demand job records under `jobs/`.
 *
 * - Private: Block Public Access on, ACLs disabled (bucket owner enforced);
 *   people download through the API's signed links, never from S3 directly.
 * - TLS only (`enforceSSL`, TLS 1.2 at least).
 * - Encryption: SSE-S3 (S3-managed keys). The runtime writes every object with
 *   `ServerSideEncryption: AES256`; SSE-KMS with our own key would add a KMS
 *   request per read and write, a key to pay for and key grants for every
 *   reader, including the presigned download the recipients' browsers make,
 *   and would protect against nothing the private bucket + IAM does not.
 * - Versioning: off. Everything here is derived data: a report can be made
 *   again from the Data API, a re-run deliberately overwrites the same keys,
 *   and job records are rewritten as a job progresses; versions would keep
 *   every superseded copy until a second lifecycle rule removed it. The bucket
 *   itself is retained when the stack is deleted.
 * - Lifecycle: `reports/` expire after the configured retention, `jobs/` after
 *   30 days, incomplete multipart uploads are aborted after a day.
 * - Server access logs go to a separate log bucket (SSE-S3: the only
 *   encryption S3 log delivery supports), kept as long as the other logs.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, resourceFinding } from './nag.ts';

export const REPORTS_PREFIX = 'reports/';
export const JOBS_PREFIX = 'jobs/';
export const JOBS_RETENTION_DAYS = 30;

export interface ReportsBucketProps {
  reportRetentionDays: number;
  accessLogRetentionDays: number;
}

export class ReportsBucket extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;

  constructor(scope: Construct, id: string, props: ReportsBucketProps) {
    super(scope, id);
    // S3 log delivery authorised by a bucket policy, not the legacy ACL (ACLs are
    // disabled here); set on this construct so it holds whatever cdk.json says.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    this.logBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: false,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(props.accessLogRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The log bucket itself is not logged: into itself would loop, into a third
    // bucket would only move the question (cdk-nag's S1 accepts a log target).

    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: false,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'reports-bucket/',
      lifecycleRules: [
        {
          id: 'expire-reports',
          prefix: REPORTS_PREFIX,
          expiration: Duration.days(props.reportRetentionDays),
        },
        {
          id: 'expire-jobs',
          prefix: JOBS_PREFIX,
          expiration: Duration.days(JOBS_RETENTION_DAYS),
        },
        {
          id: 'abort-incomplete-multipart-uploads',
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * Object permissions on `<prefix>*`, in one statement:
   * - `read`: `s3:GetObject`;
   * - `write`: `s3:PutObject` (single and multipart) and `s3:AbortMultipartUpload`;
   * - `missingAs404`: also `s3:ListBucket` on the bucket; without it S3 answers
   *   a missing key with 403 instead of 404, and the runtime reads "not there
   *   yet" (no report, no email sent, no such job) as a normal answer.
   */
  grantObjects(
    grantee: IGrantable,
    prefix: string,
    access: { read?: boolean; write?: boolean; missingAs404?: boolean },
  ): void {
    const actions = [
      ...(access.read ? ['s3:GetObject'] : []),
      ...(access.write ? ['s3:PutObject', 's3:AbortMultipartUpload'] : []),
    ];
    if (actions.length === 0) throw new Error(`grantObjects(${prefix}): nothing to grant`);
    const arn = this.bucket.arnForObjects(`${prefix}*`);
    Grant.addToPrincipal({ grantee, actions, resourceArns: [arn] });
    if (access.missingAs404) {
      Grant.addToPrincipal({ grantee, actions: ['s3:ListBucket'], resourceArns: [this.bucket.bucketArn] });
    }
    const principal = grantee.grantPrincipal;
    if (principal instanceof Construct) {
      acknowledge(
        principal,
        `AwsSolutions-IAM5[${resourceFinding(this, arn)}]`,
        `Object keys under ${prefix} are generated per subscription and period (or per job id), so ${actions.join(', ')} is scoped to that prefix of the one reports bucket, not to single keys.`,
      );
    }
  }
}
