/**
 * cdk-nag 3 acknowledgements (`Validations.of(scope).acknowledge`), each with
 * its reason, and the finding ids of wildcard resources as cdk-nag spells them
 * (`AwsSolutions-IAM5[Resource::<Bucket1234.Arn>/reports/*]`).
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Acknowledges one rule (or one finding of a granular rule) on `scope` and everything under it. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < 20)
    throw new Error(`acknowledgement ${id} at ${scope.node.path} needs a real reason`);
  Validations.of(scope).acknowledge({ id, reason });
}

/** The `Resource::…` finding id cdk-nag's IAM5 reports for a (tokenised) ARN. */
export function resourceFinding(scope: IConstruct, arn: string): string {
  return `Resource::${flatten(Stack.of(scope).resolve(arn))}`;
}

/** cdk-nag's flattening of CloudFormation intrinsics (`${X}` → `<X>`, GetAtt → `<Id.Attr>`, Ref → `<Id>`). */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (o['Fn::Sub'] !== undefined) return flatten(o['Fn::Sub']);
    if (Array.isArray(o['Fn::GetAtt'])) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (o['Fn::ImportValue'] !== undefined) return flatten(o['Fn::ImportValue']);
    if (o.Ref !== undefined) return `<${flatten(o.Ref)}>`;
  }
  return JSON.stringify(node);
}

export interface RecordedAcknowledgement {
  path: string;
  id: string;
  reason: string;
}

/** Every acknowledgement recorded under `root` (for tests and reviews). */
export function listAcknowledgements(root: IConstruct): RecordedAcknowledgement[] {
  const out: RecordedAcknowledgement[] = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        out.push({ path: c.node.path, id: key.replace(/^annotation::/i, ''), reason: String(reason) });
      }
    }
  }
  return out;
}
