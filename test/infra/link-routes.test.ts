/**
 * The routes behind a link in the stack: GET /download/{token} and GET, POST
 * /q/{token} are public (the signed token is the authorisation, checked in
 * the functions), each proxied to its function, and each throttled below the
 * stage; the quick links run in the reports function.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LINK_THROTTLE } from '../../infra/constructs/reports-api.ts';
import { buildStack, exampleConfig, lambdaFunctions } from './support.ts';

let template: Template;

beforeAll(() => {
  template = buildStack().template;
});

function functionId(t: Template, description: string): string {
  const [id] = Object.entries(lambdaFunctions(t)).find(([, r]) =>
    String(r.Properties.Description).startsWith(description),
  ) ?? [''];
  return id;
}

function methodsUnder(t: Template, parent: string): Array<Record<string, unknown>> {
  const resources = t.findResources('AWS::ApiGateway::Resource');
  const parentId = Object.entries(resources).find(
    ([, r]) => (r as { Properties: { PathPart: string } }).Properties.PathPart === parent,
  )?.[0];
  const tokenId = Object.entries(resources).find(
    ([, r]) =>
      (r as { Properties: { PathPart: string; ParentId: { Ref?: string } } }).Properties.ParentId.Ref ===
      parentId,
  )?.[0];
  return Object.values(t.findResources('AWS::ApiGateway::Method'))
    .map((m) => (m as { Properties: Record<string, unknown> }).Properties)
    .filter((p) => (p.ResourceId as { Ref: string }).Ref === tokenId);
}

describe('the link routes', () => {
  it('GET and POST /q/{token} go to the reports function, with no authorizer, the token required', () => {
    const methods = methodsUnder(template, 'q');
    expect(methods.map((m) => m.HttpMethod).sort()).toEqual(['GET', 'POST']);
    const reports = functionId(template, 'Call reports: POST /reports');
    for (const m of methods) {
      expect(m).toMatchObject({
        AuthorizationType: 'NONE',
        RequestParameters: { 'method.request.path.token': true },
        Integration: { Type: 'AWS_PROXY' },
      });
      expect(JSON.stringify(m.Integration)).toContain(`{"Fn::GetAtt":["${reports}","Arn"]}`);
      expect(m.AuthorizerId).toBeUndefined();
    }
  });

  it('throttles each link route below the stage: downloads, quick links, and their emails lowest', () => {
    const settings = (t: Template) =>
      (
        Object.values(t.findResources('AWS::ApiGateway::Stage'))[0] as {
          Properties: { MethodSettings: Array<Record<string, unknown>> };
        }
      ).Properties.MethodSettings;
    const of = (t: Template, path: string, verb: string) =>
      settings(t).find((s) => s.ResourcePath === path && s.HttpMethod === verb);
    // API Gateway names a method's path with `/` escaped as `~1`.
    expect(of(template, '/~1download~1{token}', 'GET')).toMatchObject({
      ThrottlingRateLimit: 5,
      ThrottlingBurstLimit: 10,
    });
    expect(of(template, '/~1q~1{token}', 'GET')).toMatchObject({
      ThrottlingRateLimit: 2,
      ThrottlingBurstLimit: 5,
    });
    expect(of(template, '/~1q~1{token}', 'POST')).toMatchObject({
      ThrottlingRateLimit: 1,
      ThrottlingBurstLimit: 2,
    });
    expect(Object.keys(LINK_THROTTLE)).toHaveLength(3);
    // Never above the stage's own limits.
    const low = buildStack(exampleConfig({ apiThrottle: { rateLimit: 1, burstLimit: 3 } })).template;
    expect(of(low, '/~1download~1{token}', 'GET')).toMatchObject({
      ThrottlingRateLimit: 1,
      ThrottlingBurstLimit: 3,
    });
  });

  it('lets the download function read what the report page shows, a missing summary as 404', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Array<{
      Properties: {
        PolicyDocument: { Statement: Array<{ Action: string | string[] }> };
        Roles: Array<{ Ref: string }>;
      };
    }>;
    const download = lambdaFunctions(template)[functionId(template, 'Call reports: GET /download')];
    const role = (download?.Properties.Role as { 'Fn::GetAtt': [string] } | undefined)?.['Fn::GetAtt'][0];
    const actions = policies
      .filter((p) => p.Properties.Roles.some((r) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s) => [s.Action].flat()));
    expect(actions).toContain('s3:GetObject');
    expect(actions).toContain('s3:ListBucket');
    expect(actions).not.toContain('s3:PutObject');
  });
});
