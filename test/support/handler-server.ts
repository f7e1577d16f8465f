/**
 * The real Lambda handlers behind local HTTP, as API Gateway would put them:
 * `GET /v1/download/{token}` to the download function, `GET` and `POST
 * /v1/q/{token}` to the reports-api function (the quick-link route), each
 * request turned into a REST proxy event of the stage `v1` and each answer
 * (status, headers, body) written back as it is. Anything else is API
 * Gateway's own 403 for a route it does not know.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type LambdaEnv, lambdaContext } from './lambda-env.ts';

export interface HandlerServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `<origin>/v1/download/`, the stack's DOWNLOAD_BASE_URL. */
  downloadBase: string;
  /** Hands the requests to this environment's handlers (set once they are loaded). */
  serve(env: LambdaEnv): void;
  close(): Promise<void>;
}

const ROUTES: Array<{ re: RegExp; resource: string; fn: 'download' | 'api' }> = [
  { re: /^\/v1\/download\/([^/]+)$/, resource: '/download/{token}', fn: 'download' },
  { re: /^\/v1\/q\/([^/]+)$/, resource: '/q/{token}', fn: 'api' },
];

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function eventOf(
  req: IncomingMessage,
  url: URL,
  resource: string,
  token: string,
  body: string,
): APIGatewayProxyEvent {
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  );
  const query = Object.fromEntries(url.searchParams);
  const path = url.pathname.slice('/v1'.length);
  return {
    resource,
    path,
    httpMethod: req.method ?? 'GET',
    headers,
    multiValueHeaders: {},
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: null,
    pathParameters: { token: decodeURIComponent(token) },
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      httpMethod: req.method ?? 'GET',
      path: url.pathname,
      protocol: 'HTTP/1.1',
      requestId: `local-${Date.now()}`,
      requestTimeEpoch: Date.now(),
      resourceId: 'r',
      resourcePath: resource,
      stage: 'v1',
      identity: { sourceIp: '127.0.0.1' },
    } as never,
    body: body === '' ? null : body,
    isBase64Encoded: false,
  };
}

export async function startHandlerServer(): Promise<HandlerServer> {
  let env: LambdaEnv | null = null;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const route = ROUTES.find((r) => r.re.test(url.pathname));
      const body = await bodyOf(req);
      if (!route || !env) {
        res.writeHead(403, { 'Content-Type': 'application/json' });
        res.end('{"message":"Missing Authentication Token"}');
        return;
      }
      const token = route.re.exec(url.pathname)?.[1] ?? '';
      const event = eventOf(req, url, route.resource, token, body);
      const answer = await env[route.fn](
        event,
        lambdaContext(route.fn === 'api' ? 'reports-api' : 'download'),
      );
      res.writeHead(answer.statusCode, answer.headers as Record<string, string>);
      res.end((answer as { body?: string }).body ?? '');
    })().catch((err: unknown) => {
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`handler failed: ${(err as Error).message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    downloadBase: `${origin}/v1/download/`,
    serve(e) {
      env = e;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
