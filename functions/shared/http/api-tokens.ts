/**
 * The Reports API's bearer tokens, as the API-tokens secret holds them, and
 * what each may do. The secret is JSON, one of
 *   {"token": "<t>"}                                    (the stack's generated form)
 *   {"tokens": ["<t1>", "<t2>"]}                         (rotation with an overlap)
 *   {"tokens": [{"token": "<t>", "scopes": ["reports:read"], "subscriptions": ["sales"], "name": "dashboard"}, "<t2>"]}
 * A token given as a plain string (the old forms) has every scope on every
 * subscription, as before scopes existed. A token given as an object must
 * name its `scopes` (one or more of SCOPES); `subscriptions` (absent: all)
 * limits which subscriptions it may touch; `name` (absent: `api-client`) is
 * what logs and API Gateway's principal show, never the token. Tokens are at
 * least 16 characters; errors name the entry, never a token.
 */
import { isScope, SCOPES, type Scope } from './scopes.ts';

export const MIN_TOKEN_LENGTH = 16;
export const DEFAULT_TOKEN_NAME = 'api-client';

export interface ApiToken {
  token: string;
  scopes: Scope[];
  /** The subscriptions it may touch; null: all. */
  subscriptions: string[] | null;
  name: string;
}

export class ApiTokensError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiTokensError';
  }
}

const NAME_RE = /^[A-Za-z0-9_.@-]{1,64}$/;

function entry(value: unknown, at: string): ApiToken {
  if (typeof value === 'string') {
    if (value.length < MIN_TOKEN_LENGTH)
      throw new ApiTokensError(`${at} is shorter than ${MIN_TOKEN_LENGTH} characters`);
    return { token: value, scopes: [...SCOPES], subscriptions: null, name: DEFAULT_TOKEN_NAME };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiTokensError(
      `${at} must be a token (text) or {"token", "scopes", "subscriptions"?, "name"?}`,
    );
  }
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!['token', 'scopes', 'subscriptions', 'name'].includes(key)) {
      throw new ApiTokensError(
        `${at} has an unknown key "${key}"; allowed: token, scopes, subscriptions, name`,
      );
    }
  }
  if (typeof o.token !== 'string' || o.token.length < MIN_TOKEN_LENGTH) {
    throw new ApiTokensError(`${at}.token must be text of at least ${MIN_TOKEN_LENGTH} characters`);
  }
  if (!Array.isArray(o.scopes) || o.scopes.length === 0 || !o.scopes.every(isScope)) {
    throw new ApiTokensError(
      `${at}.scopes must be a non-empty list of ${SCOPES.map((s) => `"${s}"`).join(', ')}`,
    );
  }
  let subscriptions: string[] | null = null;
  if (o.subscriptions !== undefined) {
    if (
      !Array.isArray(o.subscriptions) ||
      o.subscriptions.length === 0 ||
      !o.subscriptions.every((s) => typeof s === 'string' && s !== '')
    ) {
      throw new ApiTokensError(
        `${at}.subscriptions must be a non-empty list of subscription ids (or left out: all)`,
      );
    }
    subscriptions = [...new Set(o.subscriptions as string[])];
  }
  if (o.name !== undefined && (typeof o.name !== 'string' || !NAME_RE.test(o.name))) {
    throw new ApiTokensError(`${at}.name must be 1–64 letters, digits or "_.@-"`);
  }
  const scopes = SCOPES.filter((s) => (o.scopes as Scope[]).includes(s));
  return {
    token: o.token,
    scopes,
    subscriptions,
    name: (o.name as string | undefined) ?? DEFAULT_TOKEN_NAME,
  };
}

/** The tokens of the secret's text; an ApiTokensError naming the entry for anything else. */
export function parseApiTokens(text: string): ApiToken[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiTokensError(
      'The API tokens secret must be JSON: {"tokens": ["..."]} or {"tokens": [{"token", "scopes"}]}',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiTokensError('The API tokens secret must be a JSON object with "token" or "tokens"');
  }
  const o = parsed as { token?: unknown; tokens?: unknown };
  if (o.tokens !== undefined && !Array.isArray(o.tokens)) throw new ApiTokensError('"tokens" must be a list');
  const tokens = [
    ...((o.tokens as unknown[] | undefined) ?? []).map((t, i) => entry(t, `tokens[${i}]`)),
    ...(o.token === undefined ? [] : [entry(o.token, 'token')]),
  ];
  if (tokens.length === 0) throw new ApiTokensError('The API tokens secret holds no token');
  const seen = new Set<string>();
  for (const t of tokens) {
    if (seen.has(t.token))
      throw new ApiTokensError('A token appears twice in the secret; give each token once');
    seen.add(t.token);
  }
  return tokens;
}
