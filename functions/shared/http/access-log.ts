/**
 * The access log line of one open of a link: which token (its id, never the
 * token), what it opens (a report link's object key; a quick link's
 * subscription and period rule), the answer's status, why a refusal, and
 * when. Never the token, never a phone number, never an address: a token
 * that could not be read is logged by its reason only.
 */
import type { LinkCheck } from './links.ts';

export interface LinkAccess {
  token_id: string | null;
  kind: 'report' | 'quick' | null;
  key?: string;
  subscription?: string;
  rule?: string;
  status: number;
  /** Why it was refused (malformed, tampered, expired, revoked); absent when it opened. */
  reason?: string;
  /** ISO instant of the open. */
  at: string;
}

export function linkAccess(check: LinkCheck, status: number, now: number): LinkAccess {
  const at = new Date(now).toISOString();
  const reason = check.ok ? {} : { reason: check.reason };
  const link = 'claims' in check ? check.claims : null;
  if (link === null) return { token_id: null, kind: null, status, ...reason, at };
  const what =
    link.kind === 'report'
      ? { key: link.key, subscription: link.subscription }
      : { subscription: link.subscription, rule: link.rule };
  return { token_id: link.id, kind: link.kind, ...what, status, ...reason, at };
}
