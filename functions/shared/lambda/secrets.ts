/**
 * Secrets from Secrets Manager, cached per container (Powertools Parameters,
 * 5 minutes), never from plain environment values and never logged: the values
 * are only handed to the code that uses them.
 */

import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type ApiToken, ApiTokensError, parseApiTokens } from '../http/api-tokens.ts';
import { type KeyRing, KeyRingError, parseKeyRing } from '../http/key-ring.ts';

export const SECRET_CACHE_SECONDS = 300;

/**
 * Values that mean "not set yet": empty, and the placeholders a secret is
 * created with (the stack's `REPLACE_ME: aws secretsmanager put-secret-value`,
 * infra/constructs/secrets.ts, and the older `CHANGE_ME`), in any case.
 */
export function isUnsetSecret(value: string): boolean {
  const v = value.trim();
  return v === '' || /^(REPLACE_ME|CHANGE_ME)\b/i.test(v);
}

export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

export class Secrets {
  private readonly provider: SecretsProvider;

  constructor(client: SecretsManagerClient) {
    this.provider = new SecretsProvider({ awsSdkV3Client: client });
  }

  /** A secret's string value; an error naming the secret (never its value) when it is empty or unreadable. */
  async text(arn: string, what: string): Promise<string> {
    let value: unknown;
    try {
      value = await this.provider.get(arn, { maxAge: SECRET_CACHE_SECONDS });
    } catch (err) {
      throw new SecretError(
        `Could not read the ${what} from Secrets Manager (${arn}): ${(err as Error).name}`,
      );
    }
    if (typeof value !== 'string' || isUnsetSecret(value)) {
      throw new SecretError(
        `The ${what} secret (${arn}) has no value yet: set it with aws secretsmanager put-secret-value`,
      );
    }
    return value.trim();
  }

  /** The link-signing key ring (http/key-ring.ts: `{"keys": [...]}` or one plain key); its errors name the secret, never a key. */
  async keyRing(arn: string): Promise<KeyRing> {
    const raw = await this.text(arn, 'link-signing key');
    try {
      return parseKeyRing(raw);
    } catch (err) {
      if (err instanceof KeyRingError)
        throw new SecretError(`The link-signing key secret (${arn}): ${err.message}`);
      throw err;
    }
  }

  /** Bearer tokens with their scopes (http/api-tokens.ts: `{"token"}`, `{"tokens": [...]}`, entries as text or objects). */
  async tokens(arn: string): Promise<ApiToken[]> {
    const raw = await this.text(arn, 'API tokens');
    try {
      return parseApiTokens(raw);
    } catch (err) {
      if (err instanceof ApiTokensError)
        throw new SecretError(`The API tokens secret (${arn}): ${err.message}`);
      throw err;
    }
  }
}
