/**
 * The Reports API's authorizer logic (an API Gateway TOKEN authorizer): the
 * bearer token of the `Authorization` header, checked in constant time against
 * every configured token (hashing first makes the comparison
 * length-independent), and the IAM policy API Gateway is answered with.
 *
 * API Gateway itself answers 401 when there is no Authorization header; a
 * header that is not `Bearer <token>` is also 401 (the authorizer throws
 * "Unauthorized"), a wrong token 403 (a Deny policy). Neither the given token
 * nor the kept ones are ever logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** The token of an `Authorization: Bearer <token>` header, or null when there is none. */
export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}

/** Whether `given` equals one of `tokens`; every token is compared, so timing does not tell which. */
export function tokenMatches(given: string, tokens: readonly string[]): boolean {
  const g = digest(given);
  let ok = false;
  for (const t of tokens) ok = timingSafeEqual(g, digest(t)) || ok;
  return ok;
}

/** The message API Gateway turns into a 401 when an authorizer throws it. */
export const UNAUTHORIZED = 'Unauthorized';

/**
 * The policy for a caller: Allow or Deny on the whole stage. API Gateway caches
 * it per token, so it names every method of the stage (`<api>/<stage>/*`), not
 * only the one of `methodArn`.
 */
export function authorizerPolicy(methodArn: string, allowed: boolean): APIGatewayAuthorizerResult {
  const stage = methodArn.split('/').slice(0, 2).join('/');
  return {
    principalId: 'api-client',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: allowed ? 'Allow' : 'Deny', Resource: `${stage}/*` },
      ],
    },
  };
}
