/**
 * What a caller may do with reports: the scopes of the API's bearer tokens and
 * of quick links. `reports:read` reads jobs and their figures, `reports:create`
 * starts a report, `reports:email` has it emailed to the subscription's own
 * recipients (never anyone else) and, with create, forces a re-run.
 */

export const SCOPES = ['reports:read', 'reports:create', 'reports:email'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

/** The scopes as one text for the authorizer's context (API Gateway passes only strings): space-separated. */
export function scopesText(scopes: readonly Scope[]): string {
  return SCOPES.filter((s) => scopes.includes(s)).join(' ');
}

/** The scopes of a context text; unknown words are dropped (never widened). */
export function parseScopesText(text: unknown): Scope[] {
  if (typeof text !== 'string') return [];
  const words = new Set(text.split(/\s+/));
  return SCOPES.filter((s) => words.has(s));
}
