/**
 * The catalog: the Data API accounts and the subscriptions that read them, as
 * data (README, "Many customers"). The functions read it at run time through
 * `CatalogReader`; the admin CLI and the deploy's sync write it through
 * `CatalogStore`. Every write is checked here with config.ts's own schemas
 * (`subscriptionSchema` with its list checks, `accountSchema`), so what the
 * store holds is what the Lambdas accept.
 *
 * `staticCatalog` is the one-account catalog of a deployment without a table
 * (SUBSCRIPTIONS and MGF_* in the environment: the CLI-like local runs and the
 * older tests); the stack always sets a table.
 */
import type * as z from 'zod';
import {
  type Account,
  accountSchema,
  DEFAULT_ACCOUNT_ID,
  describeIssues,
  type Subscription,
  subscriptionsSchema,
} from '../config.ts';

/** A subscription with the account it reads. */
export interface CatalogEntry {
  subscription: Subscription;
  account: Account;
}

/** What the functions read. */
export interface CatalogReader {
  /** The subscription and its account, or null when there is no such subscription. */
  entry(id: string): Promise<CatalogEntry | null>;
  /** Every subscription (the Reports API's list; the schedule reconciler's). */
  subscriptions(): Promise<Subscription[]>;
}

/** Where an item came from: the config file (the deploy's sync may remove it) or the admin CLI (it never does). */
export type CatalogSource = 'config' | 'admin';

export interface CatalogStore extends CatalogReader {
  accounts(): Promise<Account[]>;
  account(id: string): Promise<Account | null>;
  /** Every subscription with where it came from. */
  subscriptionSources(): Promise<Map<string, CatalogSource>>;
  accountSources(): Promise<Map<string, CatalogSource>>;
  /** Writes a checked account (create or replace). */
  putAccount(account: Account, source: CatalogSource): Promise<void>;
  /** Writes a checked subscription; CatalogError when its account does not exist (checked in the same write). */
  putSubscription(subscription: Subscription, source: CatalogSource): Promise<void>;
  /** False when there was none. */
  removeSubscription(id: string): Promise<boolean>;
  /** False when there was none; CatalogError while subscriptions still read it. */
  removeAccount(id: string): Promise<boolean>;
}

/** A write the catalog refuses: one line saying what was wrong and what is allowed. */
export class CatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogError';
  }
}

/** The account a subscription reads. */
export const accountIdOf = (s: Subscription): string => s.account ?? DEFAULT_ACCOUNT_ID;

function issues(error: z.ZodError, root: string, strip = 0): string {
  const shifted = { issues: error.issues.map((i) => ({ ...i, path: i.path.slice(strip) })) } as z.ZodError;
  return describeIssues(shifted, root);
}

/**
 * A subscription as written by a person or the config file → its checked,
 * normal form (defaults filled, working hours normalised). The list checks of
 * config.ts (chats once each, telegram_workbook with chats) apply to it alone.
 */
export function checkSubscription(raw: unknown): Subscription {
  const parsed = subscriptionsSchema.safeParse([raw], { reportInput: true });
  if (!parsed.success) {
    const id = (raw as { id?: unknown } | null)?.id;
    throw new CatalogError(
      `Invalid subscription: ${issues(parsed.error, typeof id === 'string' ? id : 'subscription', 1)}`,
    );
  }
  return parsed.data[0] as Subscription;
}

export function checkAccount(raw: unknown): Account {
  const parsed = accountSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const id = (raw as { id?: unknown } | null)?.id;
    throw new CatalogError(
      `Invalid account: ${issues(parsed.error, typeof id === 'string' ? id : 'account')}`,
    );
  }
  return parsed.data;
}

/** The catalog of one account and a fixed list (no table): what SUBSCRIPTIONS and MGF_* describe. */
export function staticCatalog(subscriptions: readonly Subscription[], account: Account): CatalogReader {
  return {
    entry: async (id) => {
      const subscription = subscriptions.find((s) => s.id === id);
      if (!subscription) return null;
      if (accountIdOf(subscription) !== account.id)
        throw new CatalogError(
          `Subscription "${id}" reads account "${accountIdOf(subscription)}", but without a catalog table there is only "${account.id}"`,
        );
      return { subscription, account };
    },
    subscriptions: async () => [...subscriptions],
  };
}
