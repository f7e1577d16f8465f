/**
 * The one response envelope of both API Gateway routes (the Reports API and
 * the download route): JSON, HTML and redirect answers, the error body
 * `{"error": {"code", "message", "field"}}` every refusal carries, and the one
 * case-insensitive header lookup. No answer is cached (`Cache-Control: no-store`):
 * each tells about a job or a link as it is now.
 */

/** An API Gateway proxy integration's answer (nothing else: API Gateway refuses unknown keys). */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** What a refusal says: a stable code, what was wrong and what is allowed, and the input field at fault. */
export interface ErrorDetail {
  code: string;
  message: string;
  field: string | null;
}

const NO_STORE = { 'Cache-Control': 'no-store' } as const;

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...NO_STORE, ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(
  statusCode: number,
  error: ErrorDetail,
  headers: Record<string, string> = {},
): HttpResponse {
  const { code, message, field } = error;
  return jsonResponse(statusCode, { error: { code, message, field } }, headers);
}

export function htmlResponse(statusCode: number, html: string): HttpResponse {
  return { statusCode, headers: { 'Content-Type': 'text/html; charset=utf-8', ...NO_STORE }, body: html };
}

export function redirectResponse(location: string, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode: 302,
    // The route's URL holds a link token: the next site (S3) is never told it.
    headers: { Location: location, ...NO_STORE, 'Referrer-Policy': 'no-referrer', ...headers },
    body: '',
  };
}

/**
 * A page behind a link (report/page/): HTML under its Content-Security-Policy
 * (no script, its one hashed stylesheet, forms to itself only), never cached
 * by anyone (`private, no-store`: it shows a customer's figures), never
 * telling another site its URL, which holds the token (`no-referrer`), and
 * never framed.
 */
export function pageResponse(
  statusCode: number,
  html: string,
  csp: string,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    statusCode,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'private, no-store',
      'Content-Security-Policy': csp,
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      ...headers,
    },
    body: html,
  };
}

/** A request header by name, whatever its case (API Gateway passes them as the client sent them). */
export function header(
  headers: Readonly<Record<string, string | undefined>> | null | undefined,
  name: string,
): string | undefined {
  const h = headers ?? {};
  const want = name.toLowerCase();
  const key = Object.keys(h).find((k) => k.toLowerCase() === want);
  return key === undefined ? undefined : (h[key] ?? undefined);
}
