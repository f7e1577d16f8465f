/**
 * A real local SES v2 endpoint for integration tests: aws-ses-v2-local started
 * in-process on 127.0.0.1 and a free port, with an SDK client pointed at it and
 * its inbox read over its HTTP API (`GET /store`, `POST /clear-store`).
 *
 * Quirks of aws-ses-v2-local 2.x worth knowing:
 * - The inbox is one module-level store shared by every server started in the
 *   same process: `clear()` empties it for all of them. Find your email by the
 *   `MessageId` SES returned rather than by position.
 * - For `Content.Raw` it parses the MIME (mailparser) and takes the recipients
 *   from the `To:` header, not from the request's `Destination`, and keeps them
 *   as one comma-joined string; `emails()` splits them back into addresses.
 * - Requests need an `Authorization: AWS…` header (any test credentials do).
 * - Request bodies are capped at 25 MB (express.json), below SES's 40 MB.
 */
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import sesLocalModule from 'aws-ses-v2-local';

/** One email as aws-ses-v2-local stored it (the fields the tests read). */
export interface ReceivedEmail {
  messageId: string;
  from: string;
  /** Recipient addresses, one per entry. */
  to: string[];
  subject: string;
  html: string | undefined;
  text: string | undefined;
  attachments: Array<{ filename: string | undefined; contentType: string; size: number; content: Buffer }>;
  /** Seconds since the epoch. */
  at: number;
}

export interface SesLocal {
  endpoint: string;
  client: SESv2Client;
  emails(): Promise<ReceivedEmail[]>;
  clear(): Promise<void>;
  stop(): Promise<void>;
  /** Makes SES unreachable (connection refused) until `restart()`; received emails are kept. */
  pause(): Promise<void>;
  restart(): Promise<void>;
}

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: Array<{ filename?: string; contentType: string; size: number; content: string }>;
  at: number;
}

type StartServer = (config?: { host?: string; port?: number }) => Promise<import('node:http').Server>;

// A CommonJS module with `exports.default`: depending on the loader the default
// import is the function itself or the exports object holding it.
const startServer: StartServer =
  typeof sesLocalModule === 'function'
    ? (sesLocalModule as StartServer)
    : (sesLocalModule as unknown as { default: StartServer }).default;

function addresses(list: readonly string[]): string[] {
  return list
    .flatMap((entry) => entry.split(','))
    .map((a) => a.trim())
    .filter(Boolean);
}

export async function startSesLocal(): Promise<SesLocal> {
  let server = await startServer({ host: '127.0.0.1', port: 0 });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SESv2Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });

  async function emails(): Promise<ReceivedEmail[]> {
    const res = await fetch(`${endpoint}/store`);
    if (!res.ok) throw new Error(`aws-ses-v2-local GET /store answered HTTP ${res.status}`);
    const body = (await res.json()) as { emails: StoredEmail[] };
    return body.emails.map((e) => ({
      messageId: e.messageId,
      from: e.from,
      to: addresses(e.destination.to),
      subject: e.subject,
      html: e.body.html,
      text: e.body.text,
      attachments: e.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        content: Buffer.from(a.content, 'base64'),
      })),
      at: e.at,
    }));
  }

  async function clear(): Promise<void> {
    const res = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
    if (!res.ok) throw new Error(`aws-ses-v2-local POST /clear-store answered HTTP ${res.status}`);
  }

  async function closeServer(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    });
  }

  async function stop(): Promise<void> {
    client.destroy();
    await closeServer();
  }

  /** SES is unreachable until `restart()` (the received emails are kept). */
  async function pause(): Promise<void> {
    await closeServer();
  }

  async function restart(): Promise<void> {
    server = await startServer({ host: '127.0.0.1', port });
  }

  return { endpoint, client, emails, clear, stop, pause, restart };
}
