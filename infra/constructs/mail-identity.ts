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
 *
 * Every email goes through one configuration set whose event destination
 * publishes sends, deliveries, bounces, complaints and rejects to CloudWatch
 * (namespace `AWS/SES`, dimension `CallReports` = `emails`), where the stack
 * alarms on bounces and complaints (observability.ts).
 */
import { Stack } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { mailDomain } from '../config.ts';

export interface MailIdentityProps {
  mailFrom: string;
  mode: 'domain' | 'address' | false;
}

export class MailIdentity extends Construct {
  readonly identity: EmailIdentity | undefined;
  readonly identityArns: string[];
  readonly configurationSet: ConfigurationSet;
  /** The CloudWatch dimension the configuration set's events are published under. */
  readonly metricDimension = { dimension: 'CallReports', value: 'emails' } as const;
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
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {});
    this.configurationSet.addEventDestination('ToCloudWatch', {
      destination: EventDestination.cloudWatchDimensions([
        {
          name: this.metricDimension.dimension,
          // No message carries this tag: every email counts under the default value.
          source: CloudWatchDimensionSource.MESSAGE_TAG,
          defaultValue: this.metricDimension.value,
        },
      ]),
      events: [
        EmailSendingEvent.SEND,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
      ],
    });
  }

  /** `ses:SendEmail` and `ses:SendRawEmail` on the sender's identities only, from the sender only. */
  grantSend(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      // SES authorises a send through a configuration set against the set too.
      resourceArns: [
        ...this.identityArns,
        Stack.of(this).formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: this.configurationSet.configurationSetName,
        }),
      ],
      conditions: { StringEquals: { 'ses:FromAddress': this.mailFrom } },
    });
  }
}
