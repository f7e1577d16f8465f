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
 *
 * An Allow carries what the token may do in the policy's context (API Gateway
 * hands it to the Reports API as `requestContext.authorizer`, cached with the
 * policy): `scopes` (space-separated, http/scopes.ts), `subscriptions`
 * (space-separated ids, or `*` for all) and the principal, the token's name.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { ApiToken } from './api-tokens.ts';
import { scopesText } from './scopes.ts';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** The token of an `Authorization: Bearer <token>` header, or null when there is none. */
export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}

/** The kept token `given` equals, or null; every token is compared, so timing does not tell which. */
export function matchToken(given: string, tokens: readonly ApiToken[]): ApiToken | null {
  const g = digest(given);
  let found: ApiToken | null = null;
  for (const t of tokens) if (timingSafeEqual(g, digest(t.token)) && found === null) found = t;
  return found;
}

/** What the authorizer's context says a caller may do (read back by http/caller.ts). */
export function authorizerContext(token: ApiToken): { scopes: string; subscriptions: string } {
  return {
    scopes: scopesText(token.scopes),
    subscriptions: token.subscriptions === null ? '*' : token.subscriptions.join(' '),
  };
}

/** The message API Gateway turns into a 401 when an authorizer throws it. */
export const UNAUTHORIZED = 'Unauthorized';

/**
 * The policy for a caller: Allow or Deny on the whole stage. API Gateway caches
 * it per token, so it names every method of the stage (`<api>/<stage>/*`), not
 * only the one of `methodArn`.
 */
export function authorizerPolicy(methodArn: string, allowed: ApiToken | null): APIGatewayAuthorizerResult {
  const stage = methodArn.split('/').slice(0, 2).join('/');
  return {
    principalId: allowed?.name ?? 'api-client',
    ...(allowed ? { context: authorizerContext(allowed) } : {}),
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: allowed !== null ? 'Allow' : 'Deny', Resource: `${stage}/*` },
      ],
    },
  };
}
