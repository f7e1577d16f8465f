import { describe, expect, it } from 'vitest';
import { parseApiTokens } from '../../functions/shared/http/api-tokens.ts';
import { authorizerPolicy, matchToken } from '../../functions/shared/http/authorizer.ts';
import { callerOf } from '../../functions/shared/http/caller.ts';

const T1 = 'token-one-0123456789abcdef';
const T2 = 'token-two-0123456789abcdef';
const ALL = ['reports:read', 'reports:create', 'reports:email'];
const ARN = 'arn:aws:execute-api:eu-central-1:123456789012:abc123/v1/POST/reports';

describe('the API tokens secret', () => {
  it('keeps the old forms working, each token with every scope on every subscription', () => {
    expect(parseApiTokens(JSON.stringify({ token: T1 }))).toEqual([
      { token: T1, scopes: ALL, subscriptions: null, name: 'api-client' },
    ]);
    expect(parseApiTokens(JSON.stringify({ tokens: [T1, T2] })).map((t) => t.scopes)).toEqual([ALL, ALL]);
  });

  it('reads tokens with scopes, subscriptions and a name, mixed with plain ones', () => {
    const tokens = parseApiTokens(
      JSON.stringify({
        tokens: [{ token: T1, scopes: ['reports:read'], subscriptions: ['sales'], name: 'dashboard' }, T2],
      }),
    );
    expect(tokens).toEqual([
      { token: T1, scopes: ['reports:read'], subscriptions: ['sales'], name: 'dashboard' },
      { token: T2, scopes: ALL, subscriptions: null, name: 'api-client' },
    ]);
  });

  it.each([
    ['not JSON', 'nope', /must be JSON/],
    ['no token', '{}', /holds no token/],
    ['a short token', JSON.stringify({ tokens: ['short'] }), /tokens\[0\] is shorter than 16/],
    [
      'no scopes',
      JSON.stringify({ tokens: [{ token: T1 }] }),
      /tokens\[0\]\.scopes must be a non-empty list of "reports:read", "reports:create", "reports:email"/,
    ],
    [
      'an unknown scope',
      JSON.stringify({ tokens: [{ token: T1, scopes: ['reports:delete'] }] }),
      /tokens\[0\]\.scopes/,
    ],
    [
      'an unknown key',
      JSON.stringify({ tokens: [{ token: T1, scopes: ALL, role: 'admin' }] }),
      /unknown key "role"/,
    ],
    [
      'empty subscriptions',
      JSON.stringify({ tokens: [{ token: T1, scopes: ALL, subscriptions: [] }] }),
      /subscriptions must be a non-empty list/,
    ],
    ['a token twice', JSON.stringify({ tokens: [T1, { token: T1, scopes: ALL }] }), /appears twice/],
  ])('refuses %s with one message that names the entry, never the token', (_what, text, message) => {
    let error: Error | undefined;
    try {
      parseApiTokens(text);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain(T1);
  });
});

describe('the authorizer passes what the token may do', () => {
  const tokens = parseApiTokens(
    JSON.stringify({
      tokens: [
        { token: T1, scopes: ['reports:read'], subscriptions: ['sales', 'support'], name: 'dashboard' },
        T2,
      ],
    }),
  );

  it('finds the kept token and puts its scopes and subscriptions in the policy context', () => {
    const policy = authorizerPolicy(ARN, matchToken(T1, tokens));
    expect(policy).toMatchObject({
      principalId: 'dashboard',
      context: { scopes: 'reports:read', subscriptions: 'sales support' },
      policyDocument: {
        Statement: [
          { Effect: 'Allow', Resource: 'arn:aws:execute-api:eu-central-1:123456789012:abc123/v1/*' },
        ],
      },
    });
    expect(authorizerPolicy(ARN, matchToken(T2, tokens)).context).toEqual({
      scopes: 'reports:read reports:create reports:email',
      subscriptions: '*',
    });
  });

  it('denies a token that is not kept, with no context', () => {
    const policy = authorizerPolicy(ARN, matchToken('someone-elses-token-123', tokens));
    expect(policy.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
    expect(policy.context).toBeUndefined();
  });

  it('reads the context back in the API, and an absent context as no scopes at all', () => {
    const context = authorizerPolicy(ARN, matchToken(T1, tokens)).context;
    expect(callerOf({ requestContext: { authorizer: context } as never })).toEqual({
      scopes: ['reports:read'],
      subscriptions: ['sales', 'support'],
    });
    expect(callerOf({ requestContext: {} as never })).toEqual({ scopes: [], subscriptions: [] });
    expect(
      callerOf({
        requestContext: { authorizer: { scopes: 'reports:read admin', subscriptions: '*' } } as never,
      }),
    ).toEqual({
      scopes: ['reports:read'],
      subscriptions: null,
    });
  });
});
