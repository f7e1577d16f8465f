/**
 * A secret that still holds the value it was created with reads as unset,
 * with a message that names the secret and says how to set it, never the value.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { isUnsetSecret, SecretError, Secrets } from '../../functions/shared/lambda/secrets.ts';
import { DATA_API_TOKEN_PLACEHOLDER } from '../../infra/constructs/secrets.ts';

const ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:data-token';
const sm = mockClient(SecretsManagerClient);
afterEach(() => sm.reset());

describe('an unset secret', () => {
  it.each([
    ['the placeholder the stack creates the Data API key with', DATA_API_TOKEN_PLACEHOLDER],
    ['the placeholder in other case, with spaces', '  replace_me  '],
    ['the older placeholder', 'CHANGE_ME'],
    ['an empty value', ''],
    ['only spaces', '   \n'],
  ])('reads %s as unset, saying how to set it', async (_what, value) => {
    expect(isUnsetSecret(value)).toBe(true);
    sm.on(GetSecretValueCommand).resolves({ SecretString: value });
    const err = await new Secrets(new SecretsManagerClient({}))
      .text(ARN, 'Data API token')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretError);
    expect((err as Error).message).toBe(
      `The Data API token secret (${ARN}) has no value yet: set it with aws secretsmanager put-secret-value`,
    );
  });

  it('is not a real key that merely contains the word', async () => {
    expect(isUnsetSecret('a1b2REPLACE_MEc3')).toBe(false);
    sm.on(GetSecretValueCommand).resolves({ SecretString: ' a1b2REPLACE_MEc3 ' });
    expect(await new Secrets(new SecretsManagerClient({})).text(ARN, 'Data API token')).toBe(
      'a1b2REPLACE_MEc3',
    );
  });
});
