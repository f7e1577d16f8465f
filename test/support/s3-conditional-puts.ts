/**
 * S3's conditional writes, which s3rver 3.7 does not have: a PutObject with
 * `If-None-Match: *` fails with 412 PreconditionFailed when the key exists, one
 * with `If-Match: <etag>` when the key is missing or its ETag differs (as S3
 * answers since November 2024). Conditional PUTs of one key are taken one at a
 * time, so of two racing writers of the same version exactly one wins, as on
 * S3. Installed on s3rver's HTTP server in front of its own request handler.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export function modelConditionalPuts(server: Server, directory: string): void {
  const original = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  const queues = new Map<string, Promise<void>>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const ifMatch = req.headers['if-match'];
    const ifNoneMatch = req.headers['if-none-match'];
    const pass = () => {
      for (const l of original) l.call(server, req, res);
    };
    if (req.method !== 'PUT' || (ifMatch === undefined && ifNoneMatch === undefined)) return pass();
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\//, '');
    const before = queues.get(path) ?? Promise.resolve();
    const turn = before.then(async () => {
      const etag = await currentEtag(directory, path);
      const refused =
        (ifNoneMatch === '*' && etag !== null) ||
        (ifMatch !== undefined && (etag === null || stripQuotes(ifMatch) !== stripQuotes(etag)));
      if (refused) {
        req.resume();
        res.writeHead(412, { 'Content-Type': 'application/xml' });
        res.end(
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code>' +
            '<Message>At least one of the pre-conditions you specified did not hold</Message></Error>',
        );
        return;
      }
      await new Promise<void>((resolve) => {
        res.on('close', resolve);
        pass();
      });
    });
    queues.set(
      path,
      turn.catch(() => {}),
    );
  });
}

/** The ETag s3rver gives the object at `bucket/key` (its MD5), or null when there is none. */
async function currentEtag(directory: string, bucketAndKey: string): Promise<string | null> {
  const parts = bucketAndKey.split('/');
  const name = parts.pop() ?? '';
  try {
    const bytes = await readFile(join(directory, ...parts, `${name}._S3rver_object`));
    return `"${createHash('md5').update(bytes).digest('hex')}"`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

const stripQuotes = (s: string): string => s.replace(/^W\//, '').replace(/"/g, '');
