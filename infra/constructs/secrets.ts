/**
 * The three secrets (Secrets Manager, encrypted with the account's
 * `aws/secretsmanager` key). Only their ARNs reach the Lambdas; the values are
 * read at run time and never appear in the template or the outputs.
 */
import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

/**
 * The Data API token's value until the user sets the real one. Do not change
 * it: CloudFormation rewrites the secret when this template value changes,
 * which would overwrite the token the user put there.
 */
export const DATA_API_TOKEN_PLACEHOLDER = 'REPLACE_ME: aws secretsmanager put-secret-value';

export class Secrets extends Construct {
  /** SecretString = the Data API key (set by the user after deploy). */
  readonly dataApiToken: Secret;
  /**
   * SecretString = 64 random characters: the HMAC key of the links, a key ring of
   * one (kid "0"); rotated by hand into `{"keys": [{"kid", "key"}, …]}`, the
   * last signing, all verifying (functions/shared/http/key-ring.ts, README).
   */
  readonly linkKey: Secret;
  /**
   * SecretString = `{"token":"<48 random characters>"}`: every scope. The API also
   * takes `{"tokens": ["…", {"token", "scopes", "subscriptions"?, "name"?}]}`
   * (functions/shared/http/api-tokens.ts, README).
   */
  readonly apiTokens: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.dataApiToken = new Secret(this, 'DataApiToken', {
      description:
        'Call reports: the UIS / CoMagic Data API key. Set it after deploy with aws secretsmanager put-secret-value (see the README).',
      secretStringValue: SecretValue.unsafePlainText(DATA_API_TOKEN_PLACEHOLDER),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.dataApiToken,
      'AwsSolutions-SMG4',
      'The Data API key is issued in the UIS / CoMagic account (Settings > API keys) and cannot be rotated from AWS; the user replaces it with put-secret-value when the provider issues a new one.',
    );

    this.linkKey = new Secret(this, 'LinkKey', {
      description:
        'Call reports: HMAC-SHA256 key ring of the links: one plain key, or {"keys":[{"kid","key"},...]}, the last signs, all verify (README: rotating the link key).',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.linkKey,
      'AwsSolutions-SMG4',
      'The link key is a ring rotated by hand (a new key verifies first, then signs; the old one is removed once linkTtlDays have passed), so emailed links keep working; Secrets Manager rotation would replace the value and kill them, and a single link is revoked instead (npm run revoke).',
    );

    this.apiTokens = new Secret(this, 'ApiTokens', {
      description:
        'Call reports: bearer tokens for the reports API, {"token":"..."} or {"tokens":["...",{"token":"...","scopes":["reports:read"],"subscriptions":["..."]}]} (README: API token scopes).',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'token',
        passwordLength: 48,
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.apiTokens,
      'AwsSolutions-SMG4',
      'API tokens are handed to the people and scripts that call the API; an automatic rotation would lock them out without notice. They are rotated by hand with an overlap ({"tokens":[old,new]}).',
    );
  }
}
