/**
 * A real local S3 for integration tests: s3rver 3.7 on 127.0.0.1, a random
 * port, a temporary data directory and one bucket.
 *
 * s3rver's quirks, and what this helper does about them:
 * - It addresses buckets by path only (`/bucket/key`) on an IP address: the
 *   client sets `forcePathStyle`.
 * - It cannot read the SDK's `aws-chunked` body with a trailing checksum (the
 *   default `requestChecksumCalculation: 'WHEN_SUPPORTED'`): the client asks for
 *   checksums only when an operation requires them.
 * - It knows one access key, `S3RVER` / `S3RVER`; SigV4 signatures are not
 *   verified (only the key id is looked up).
 * - SSE headers (`x-amz-server-side-encryption*`) are accepted and ignored:
 *   nothing is encrypted and HeadObject reports no encryption.
 * - No AbortMultipartUpload (405 MethodNotAllowed) and no ListMultipartUploads
 *   (501 NotImplemented): unfinished parts stay in its data directory, under
 *   `<bucket>/._S3rver_uploads/<uploadId>/`; `pendingUploads()` lists them.
 * - `close()` ends its logger, so a stopped instance is not started again:
 *   `restart()` starts a new one on the same port and data directory.
 * - No conditional writes (`If-Match`, `If-None-Match` on PUT): modelled in
 *   front of it, as S3 answers them (s3-conditional-puts.ts).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { IncomingMessage, Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { modelConditionalPuts } from './s3-conditional-puts.ts';

/** The only credentials s3rver knows. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

interface S3rverOptions {
  address?: string;
  port?: number;
  silent?: boolean;
  directory?: string;
  configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
}

/** The part of s3rver's (untyped) API used here. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}

const S3rver = createRequire(import.meta.url)('s3rver') as new (options: S3rverOptions) => S3rverInstance;

export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  bucket: string;
  port: number;
  /** s3rver's data directory (kept across `restart()`). */
  directory: string;
  /** A client set up for s3rver (path-style, checksums only when required). */
  client: S3Client;
  /** Stops the server (the data stays): requests fail with ECONNREFUSED until `restart()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  restart(): Promise<void>;
  /** Upload ids of multipart uploads left unfinished in the bucket (s3rver cannot list them). */
  pendingUploads(): Promise<string[]>;
  /**
   * Calls `listener` with every request as it arrives (headers read, before s3rver
   * answers), across restarts, until the returned function is called.
   */
  onRequest(listener: (req: IncomingMessage) => void): () => void;
  /** Stops the server, destroys the client and removes the data directory. */
  dispose(): Promise<void>;
}

export interface StartS3rverOptions {
  bucket?: string;
  /** Extra client settings (e.g. `maxAttempts`). */
  clientConfig?: Partial<S3ClientConfig>;
}

export async function startS3rver(options: StartS3rverOptions = {}): Promise<LocalS3> {
  const bucket = options.bucket ?? 'test-reports';
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  let port = 0;
  let running: S3rverInstance | null = null;
  const listeners = new Set<(req: IncomingMessage) => void>();
  const tell = (req: IncomingMessage): void => {
    for (const l of listeners) l(req);
  };

  const start = async (): Promise<void> => {
    const instance = new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory,
      configureBuckets: [{ name: bucket }],
    });
    const address = await instance.run();
    if (instance.httpServer) modelConditionalPuts(instance.httpServer, directory);
    instance.httpServer?.on('request', tell);
    port = address.port;
    running = instance;
  };

  const stop = async (): Promise<void> => {
    const instance = running;
    if (!instance) return;
    running = null;
    const closing = instance.close();
    // Keep-alive sockets of the client would hold the server open.
    instance.httpServer?.closeAllConnections();
    await closing;
  };

  await start();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...options.clientConfig,
  });

  return {
    endpoint,
    bucket,
    port,
    directory,
    client,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async pendingUploads() {
      try {
        return await readdir(join(directory, bucket, '._S3rver_uploads'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
    },
    onRequest(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async dispose() {
      await stop();
      client.destroy();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
