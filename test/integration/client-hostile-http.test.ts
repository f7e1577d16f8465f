/**
 * The Data API client against a hostile HTTP server (a real one on
 * 127.0.0.1): redirects are refused without following them, so the key in the
 * body never reaches the address they point to; an answer announcing or
 * sending more than any answer can be is refused without allocating what it
 * announces; a page whose total is negative, fractional, text, missing or past
 * 2^53 fails naming it; an id past 2^53 is a rejected row with its reason,
 * never a call under a rounded id. Each ends with one message.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataApiCallSource } from '../../functions/shared/calls/source.ts';
import { DataApiClient } from '../../functions/shared/dataapi/client.ts';
import { DataApiError, DataApiRequestError } from '../../functions/shared/dataapi/errors.ts';
import { MAX_BODY_BYTES } from '../../functions/shared/dataapi/rpc/body-pool.ts';
import { RpcTransport } from '../../functions/shared/dataapi/rpc/transport.ts';
import { parseWall } from '../../functions/shared/time.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const KEY = 'the-secret-key-0123456789';

async function serve(): Promise<{
  server: Server;
  url: string;
  seen: string[];
  handle: (h: Handler) => void;
}> {
  let handler: Handler = (_req, res) => res.end();
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += String(c);
    });
    req.on('end', () => {
      seen.push(body);
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2.0`,
    seen,
    handle: (h) => {
      handler = h;
    },
  };
}

let api: Awaited<ReturnType<typeof serve>>;
let elsewhere: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  [api, elsewhere] = await Promise.all([serve(), serve()]);
  elsewhere.handle((_req, res) => res.end('{"jsonrpc":"2.0","id":1,"result":{"data":{}}}'));
});
afterAll(async () => {
  for (const s of [api, elsewhere]) {
    s.server.closeAllConnections();
    await new Promise<void>((resolve) => s.server.close(() => resolve()));
  }
});

const transport = (opts: { maxBodyBytes?: number } = {}) =>
  new RpcTransport({ url: api.url, accessToken: KEY, retry: { baseDelayMs: 1, maxDelayMs: 2 }, ...opts });
/** A call the way a page is read (into the body pool), or a small one (read whole). */
const pageGate = async () => () => {};

describe('redirects', () => {
  it.each([301, 302, 307, 308])(
    'refuses a %i without following it: the key never leaves for its address',
    async (status) => {
      const before = elsewhere.seen.length;
      api.handle((_req, res) => {
        res.writeHead(status, { Location: `${elsewhere.url}/steal` });
        res.end();
      });
      const err = await transport()
        .call('get.account', {})
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataApiRequestError);
      const host = new URL(elsewhere.url).host;
      expect((err as Error).message).toBe(
        `Data API get.account: HTTP ${status} redirects to ${host}; redirects are not followed, since the key travels in the body: set MGF_API_URL to the API's own address (https://…/v2.0)`,
      );
      expect((err as Error).message).not.toContain(KEY);
      expect(elsewhere.seen.length).toBe(before);
    },
  );

  it('says so when a redirect names no address', async () => {
    api.handle((_req, res) => {
      res.writeHead(302);
      res.end();
    });
    await expect(transport().call('get.account', {})).rejects.toThrow(/HTTP 302 redirects to no address/);
  });
});

describe('answers larger than any answer can be', () => {
  it('refuses an announced Content-Length past the cap unread, for a page and for a small call', async () => {
    const announced = 4 * 1024 * 1024 * 1024; // 4 GB, of which a few bytes ever come
    api.handle((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(announced) });
      res.write('{"jsonrpc":"2.0"');
      // …and never the rest.
    });
    for (const gate of [pageGate, undefined]) {
      const before = process.memoryUsage().arrayBuffers;
      const err = await transport()
        .call('get.mgf_calls', {}, undefined, gate)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataApiRequestError);
      expect((err as Error).message).toBe(
        `Data API get.mgf_calls: HTTP 200: the answer announces ${announced} bytes, more than the ${MAX_BODY_BYTES} any answer of the API can be; refused unread`,
      );
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(MAX_BODY_BYTES);
    }
  });

  it('stops reading a body without a length once it passes the cap', async () => {
    const cap = 256 * 1024;
    api.handle((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }); // chunked, no length
      const piece = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const more = () => {
        while (sent < 100 && res.write(piece)) sent++;
        if (sent < 100) res.once('drain', more);
        else res.end();
      };
      more();
    });
    for (const gate of [pageGate, undefined]) {
      const err = await transport({ maxBodyBytes: cap })
        .call('get.mgf_calls', {}, undefined, gate)
        .catch((e: unknown) => e);
      expect((err as Error).message).toBe(
        `Data API get.mgf_calls: HTTP 200: the answer is larger than the ${cap} bytes any answer of the API can be; stopped reading it`,
      );
    }
  });

  it('reads an answer at the cap as usual', async () => {
    const body = '{"jsonrpc":"2.0","id":1,"result":{"data":{"timezone":"Europe/Moscow"}}}';
    api.handle((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
    const r = await transport({ maxBodyBytes: Buffer.byteLength(body) }).call('get.account', {});
    expect(r.result).toEqual({ data: { timezone: 'Europe/Moscow' } });
  });
});

describe('pages that do not add up', () => {
  const page = (total: unknown, data: unknown[]) =>
    JSON.stringify({ jsonrpc: '2.0', id: 1, result: { data, metadata: { total_items: total, limits: {} } } });
  const row = (id: unknown) => ({
    communication_id: id,
    call_start_date_time: '2024-10-21 10:00:00',
    call_direction: { value: 'Входящий звонок', value_id: 'in' },
    call_status: { value: 'Принятый', value_id: 'accepted' },
  });
  const source = () =>
    new DataApiCallSource(
      new DataApiClient({
        url: api.url,
        accessToken: KEY,
        retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 },
        maxRereads: 1,
        deadlineMs: 20_000,
      }),
      { reportId: 1015 },
    );
  const day = { from: parseWall('2024-10-21 00:00:00') ?? 0, till: parseWall('2024-10-21 23:59:59') ?? 0 };

  it.each([
    ['a negative total', -5],
    ['a fractional total', 1.5],
    ['a total that is text', 'many'],
    ['no total', null],
    ['a total past 2^53', 2 ** 60],
  ])('fail with one message on %s, naming the total', async (_what, total) => {
    api.handle((_req, res) => res.end(page(total, [row(1)])));
    const err = await source()
      .fetch(day)
      .catch((x: unknown) => x);
    expect(err).toBeInstanceOf(DataApiError);
    expect((err as Error).message).toContain(
      `Data API get.mgf_calls answered metadata.total_items ${JSON.stringify(total)}, not a whole number of rows`,
    );
  });

  it('keeps no call under an id past 2^53 (as a number or as text): each is a rejected row with its reason', async () => {
    // The first id goes over the wire as the number literal 9007199254740993 (2^53 + 1), which JSON.parse rounds.
    const body = page(3, [row('BIG'), row('9007199254740993'), row(7)]).replace('"BIG"', '9007199254740993');
    api.handle((_req, res) => res.end(body));
    const fetched = await source().fetch(day);
    expect(fetched.calls.length).toBe(1);
    expect(fetched.rejectedCount).toBe(2);
    const reason = 'communication_id: missing or not a whole number (a number ≥ 0 or up to 15 digits)';
    expect(fetched.rejected.map((r) => r.reason)).toEqual([reason, reason]);
  });
});
