/**
 * `npm run revoke`: puts an entry on the links' revocation list (the stack's
 * DynamoDB table; adapters/aws/dynamo-revocations.ts), effective from the
 * next open of any link it names (410 "revoked"):
 *
 *   npm run revoke -- --table <ReportClaims table> --link '<the link, or its token>'   that one link
 *   npm run revoke -- --table <…> --token-id <id>                                       one link by the id the access log shows
 *   npm run revoke -- --table <…> --report reports/<sub>/<from>_<till>/report.xlsx      every link to that report issued until now
 *   npm run revoke -- --table <…> --subscription <id> [--at <ISO instant>]              every link of the subscription issued until then
 *
 * `--table` defaults to LOCK_TABLE; AWS credentials and region come from the
 * usual chain (AWS_PROFILE, AWS_REGION, …). It needs dynamodb:UpdateItem on
 * the table. The token itself is never printed or stored: a link is revoked by
 * its id. Bad input: exit 2 with one line.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoRevocations,
  type RevocationTarget,
} from '../functions/shared/adapters/aws/dynamo-revocations.ts';
import { isReportObjectKey, peekLink } from '../functions/shared/http/links.ts';

export interface RevokeIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

export interface RevokeDeps {
  client?: DynamoDBClient;
  now?: () => number;
}

const TOKEN_ID_RE = /^[A-Za-z0-9_-]{16}$/;

class UsageError extends Error {}

/** The entry the arguments ask for, and a line saying what it covers. */
function target(
  values: Record<string, string | undefined>,
  now: number,
): { what: RevocationTarget; at: number; says: string } {
  const given = (['link', 'token-id', 'report', 'subscription'] as const).filter(
    (k) => values[k] !== undefined,
  );
  if (given.length !== 1) {
    throw new UsageError('give exactly one of --link, --token-id, --report, --subscription');
  }
  let at = now;
  if (values.at !== undefined) {
    if (values.subscription === undefined && values.report === undefined) {
      throw new UsageError('--at is for --report and --subscription (links issued until then)');
    }
    at = Date.parse(values.at);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(values.at) || !Number.isFinite(at)) {
      throw new UsageError(`--at must be an ISO instant such as 2026-12-01T12:00:00Z, got "${values.at}"`);
    }
    if (at > now) throw new UsageError('--at is in the future; links not yet issued cannot be revoked');
  }
  if (values.link !== undefined) {
    const token = values.link.trim().split(/[/?#]/).filter(Boolean).at(-1) ?? '';
    const link = peekLink(decodeURIComponent(token));
    if (!link)
      throw new UsageError('--link: not one of our links (expected …/download/<kid>.<claims>.<signature>)');
    const names = link.kind === 'report' ? `report ${link.key}` : `quick link ${link.rule}`;
    return {
      what: { kind: 'token', tokenId: link.id },
      at,
      says: `link ${link.id} (${names}, subscription ${link.subscription}, expires ${new Date(link.expiresAt).toISOString()})`,
    };
  }
  if (values['token-id'] !== undefined) {
    const id = values['token-id'];
    if (!TOKEN_ID_RE.test(id))
      throw new UsageError(`--token-id must be the 16-character id the access log shows, got "${id}"`);
    return { what: { kind: 'token', tokenId: id }, at, says: `link ${id}` };
  }
  if (values.report !== undefined) {
    if (!isReportObjectKey(values.report)) {
      throw new UsageError(
        '--report must be a report workbook key: reports/<subscription>/<from>_<till>[_…]/report.xlsx',
      );
    }
    return {
      what: { kind: 'key', key: values.report },
      at,
      says: `every link to ${values.report} issued until ${new Date(at).toISOString()}`,
    };
  }
  const sub = values.subscription as string;
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(sub))
    throw new UsageError(`--subscription must be a subscription id, got "${sub}"`);
  return {
    what: { kind: 'subscription', subscription: sub },
    at,
    says: `every link of subscription ${sub} issued until ${new Date(at).toISOString()}`,
  };
}

export async function runRevoke(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: RevokeIo,
  deps: RevokeDeps = {},
): Promise<number> {
  let values: Record<string, string | undefined>;
  let plan: ReturnType<typeof target>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        table: { type: 'string' },
        link: { type: 'string' },
        'token-id': { type: 'string' },
        report: { type: 'string' },
        subscription: { type: 'string' },
        at: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values as Record<string, string | undefined>;
    if (!(values.table ?? env.LOCK_TABLE))
      throw new UsageError("give --table <the stack's ReportClaims table> (or LOCK_TABLE)");
    plan = target(values, (deps.now ?? Date.now)());
  } catch (err) {
    io.stderr.write(`Error: ${(err as Error).message}\n`);
    return 2;
  }
  const list = new DynamoRevocations({
    client: deps.client ?? new DynamoDBClient({}),
    table: (values.table ?? env.LOCK_TABLE) as string,
  });
  try {
    await list.revoke(plan.what, plan.at);
  } catch (err) {
    io.stderr.write(
      `Error: could not write the revocation: ${(err as Error).name}: ${(err as Error).message}\n`,
    );
    return 1;
  }
  io.stdout.write(`Revoked ${plan.says}. It answers 410 "revoked" from its next open.\n`);
  return 0;
}
