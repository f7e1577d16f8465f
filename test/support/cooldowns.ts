/** The cooldown's meaning over a Map, on the caller's clock (the DynamoDB slots are tested against dynalite). */
import { COOLDOWN_MS, type Cooldowns, type CooldownTake } from '../../functions/shared/http/cooldown.ts';

export class MemoryCooldowns implements Cooldowns {
  readonly until = new Map<string, number>();
  async take(subscription: string, now: number, ms = COOLDOWN_MS): Promise<CooldownTake> {
    const held = this.until.get(subscription);
    if (held !== undefined && held > now) return { ok: false, retryAt: held };
    this.until.set(subscription, now + ms);
    return { ok: true, release: async () => void this.until.delete(subscription) };
  }
}

/** The authorizer's context for a token with these scopes (all by default) and subscriptions (all by default). */
export function authorizerContext(
  scopes = 'reports:read reports:create reports:email',
  subscriptions = '*',
): Record<string, string> {
  return { principalId: 'api-client', scopes, subscriptions };
}
