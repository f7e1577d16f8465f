/**
 * Who calls the Reports API and what they may do, as the authorizer's context
 * says (http/authorizer.ts → `requestContext.authorizer`): scopes and the
 * subscriptions they may touch. No context (a request that did not pass our
 * authorizer) may do nothing: the API fails closed.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { parseScopesText, type Scope } from './scopes.ts';

export interface Caller {
  scopes: readonly Scope[];
  /** The subscriptions the caller may touch; null: all. */
  subscriptions: readonly string[] | null;
}

/** The caller of an API Gateway event, from its authorizer context. */
export function callerOf(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller {
  const ctx = (event.requestContext?.authorizer ?? {}) as Record<string, unknown>;
  const subs = typeof ctx.subscriptions === 'string' ? ctx.subscriptions.trim() : '';
  return {
    scopes: parseScopesText(ctx.scopes),
    subscriptions: subs === '*' ? null : subs.split(/\s+/).filter(Boolean),
  };
}

/** Why the caller may not use `scope` for what it asks (a sentence), or null when it may. */
export function missingScope(caller: Caller, scope: Scope, what: string): string | null {
  if (caller.scopes.includes(scope)) return null;
  const has = caller.scopes.length === 0 ? 'none' : caller.scopes.join(', ');
  return `This API token may not ${what}: that needs the scope ${scope}; the token's scopes: ${has}`;
}

/** Whether the caller may touch the subscription. */
export function maySee(caller: Caller, subscription: string): boolean {
  return caller.subscriptions === null || caller.subscriptions.includes(subscription);
}
