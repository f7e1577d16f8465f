/**
 * The Reports API's request body: its content type, its size (at most
 * MAX_BODY_BYTES), base64 decoded strictly, UTF-8 checked, JSON parsed with a
 * key given twice refused (json-body.ts), an object; and the readers of its
 * optional fields. Each refusal is an ApiError with its own code and message.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ApiError } from './api-error.ts';
import { duplicateKey, strictUtf8 } from './json-body.ts';
import { header } from './response.ts';

export const MAX_BODY_BYTES = 8 * 1024;

export function parseBody(event: APIGatewayProxyEvent): Record<string, unknown> {
  const type = header(event.headers, 'content-type');
  if (type !== undefined && !/^application\/(.+\+)?json\b/i.test(type.trim())) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `Content-Type must be application/json, got "${type}"`,
      null,
    );
  }
  const text = bodyText(event);
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new ApiError(413, 'body_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes`, null);
  }
  if (text.trim() === '') {
    throw new ApiError(
      400,
      'missing_body',
      'The body is empty; send a JSON object such as {"date": "2024-10-21"}',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, 'invalid_json', `The body is not valid JSON (${(err as Error).message})`);
  }
  const twice = duplicateKey(text);
  if (twice !== null) {
    throw new ApiError(400, 'duplicate_field', `"${twice}" is given twice; give each field once`, twice);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError(400, 'invalid_body', 'The body must be a JSON object such as {"date": "2024-10-21"}');
  }
  return value as Record<string, unknown>;
}

/**
 * The body as text: API Gateway's string, or its base64 (binary media types)
 * decoded strictly: base64 that is not base64, or bytes that are not UTF-8,
 * are refused rather than read as something else.
 */
function bodyText(event: APIGatewayProxyEvent): string {
  const raw = event.body ?? '';
  if (!event.isBase64Encoded) return raw;
  const b64 = raw.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) {
    throw new ApiError(400, 'invalid_base64', 'The body is marked base64-encoded but is not base64');
  }
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new ApiError(413, 'body_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes`, null);
  }
  const text = strictUtf8(bytes);
  if (text === null)
    throw new ApiError(400, 'invalid_utf8', 'The body is not valid UTF-8; send JSON in UTF-8');
  return text;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ApiError(400, 'invalid_type', `${field} must be a string`, field);
  return v;
}

export function optionalBoolean(body: Record<string, unknown>, field: string, fallback: boolean): boolean {
  const v = body[field];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean')
    throw new ApiError(400, 'invalid_type', `${field} must be true or false`, field);
  return v;
}
