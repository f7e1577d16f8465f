/**
 * What the three routes of the reports-api function (the Reports API, the
 * quick links and the Telegram webhook) share, built once per container: the
 * configuration, the SDK clients, one secrets cache (so the link key ring is
 * read once for all three, not once each), the report storage and job store on
 * S3, the worker's starter, the cooldown table and the one way a report's
 * download link is made.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createS3Client } from '../adapters/aws/clients.ts';
import { DynamoCooldowns } from '../adapters/aws/dynamo-cooldowns.ts';
import { S3JobStore } from '../adapters/aws/job-store.ts';
import { S3ReportStorage } from '../adapters/aws/s3-storage.ts';
import { LambdaWorkerInvoker } from '../adapters/aws/worker-invoker.ts';
import { type ApiConfig, apiConfigSchema, loadConfig } from '../config.ts';
import type { KeyRing } from '../http/key-ring.ts';
import { type LinkSettings, linkFor, linkSettings } from '../http/link-urls.ts';
import type { Language } from '../language.ts';
import { Secrets } from './secrets.ts';

export interface ApiParts {
  config: ApiConfig;
  s3: S3Client;
  dynamo: DynamoDBClient;
  secrets: Secrets;
  storage: S3ReportStorage;
  jobs: S3JobStore;
  startWorker: (jobId: string) => Promise<void>;
  cooldowns: DynamoCooldowns;
  links: LinkSettings;
  /** The link key ring (Secrets Manager, cached). */
  linkKeys: () => Promise<KeyRing>;
  /** A download link for a stored workbook of `subscription` (the catalog's entry, for its link TTL), signed now. */
  reportLink: (
    key: string,
    subscription: { id: string; link_ttl_days?: number | undefined },
    now: number,
    language?: Language,
  ) => Promise<{ url: string; expiresAt: string }>;
}

export function createApiParts(env: NodeJS.ProcessEnv = process.env): ApiParts {
  const config = loadConfig(apiConfigSchema, env);
  const s3 = createS3Client(env);
  const dynamo = new DynamoDBClient({});
  const secrets = new Secrets(new SecretsManagerClient({}));
  const worker = new LambdaWorkerInvoker({
    client: new LambdaClient({}),
    functionName: config.WORKER_FUNCTION_NAME,
  });
  const links = linkSettings(config);
  const linkKeys = () => secrets.keyRing(config.LINK_KEY_SECRET_ARN);
  return {
    config,
    s3,
    dynamo,
    secrets,
    storage: new S3ReportStorage({ client: s3, bucket: config.REPORTS_BUCKET }),
    jobs: new S3JobStore({ client: s3, bucket: config.REPORTS_BUCKET }),
    startWorker: (jobId) => worker.start(jobId),
    cooldowns: new DynamoCooldowns({ client: dynamo, table: config.LOCK_TABLE }),
    links,
    linkKeys,
    reportLink: async (key, subscription, now, language) => {
      const link = linkFor(key, subscription, links, await linkKeys(), now, language);
      return { url: link.url, expiresAt: link.expiresAt };
    },
  };
}
