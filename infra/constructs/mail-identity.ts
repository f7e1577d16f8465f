/**
 * The SES identity the reports are sent from.
 *
 * - `domain`: an identity for the sender's domain with Easy DKIM; its three
 *   CNAME records (stack outputs) go into the domain's DNS. Best deliverability.
 * - `address`: an identity for the one address; SES mails it a confirmation link.
 * - `false`: nothing is created; an identity for the address or its domain
 *   must already be verified in this account and region (e.g. shared with
 *   other applications, or managed elsewhere).
 *
 * Sending permission covers exactly the address identity and the domain
 * identity (SES authorises against whichever of the two is verified), and only
 * with the configured sender as From (`ses:FromAddress`): a domain identity
 * would otherwise let the functions send as any address of the domain.
 */
import { Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { mailDomain } from '../config.ts';

export interface MailIdentityProps {
  mailFrom: string;
  mode: 'domain' | 'address' | false;
}

export class MailIdentity extends Construct {
  readonly identity: EmailIdentity | undefined;
  readonly identityArns: string[];
  private readonly mailFrom: string;

  constructor(scope: Construct, id: string, props: MailIdentityProps) {
    super(scope, id);
    this.mailFrom = props.mailFrom;
    const domain = mailDomain(props.mailFrom);
    if (props.mode === 'domain') {
      this.identity = new EmailIdentity(this, 'Identity', { identity: Identity.domain(domain) });
    } else if (props.mode === 'address') {
      this.identity = new EmailIdentity(this, 'Identity', { identity: Identity.email(props.mailFrom) });
    } else {
      this.identity = undefined;
    }
    const stack = Stack.of(this);
    this.identityArns = [props.mailFrom, domain].map((name) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name }),
    );
  }

  /** `ses:SendEmail` and `ses:SendRawEmail` on the sender's identities only, from the sender only. */
  grantSend(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resourceArns: this.identityArns,
      conditions: { StringEquals: { 'ses:FromAddress': this.mailFrom } },
    });
  }
}
