/**
 * What the client tests share: a client against a simulator with fast retries
 * (the backoff shape is the production one, its steps milliseconds), and the
 * distinct ids the simulator holds in a range, to compare a fetch with.
 */
import { DataApiClient, type DataApiClientOptions } from '../../functions/shared/dataapi/client.ts';
import { parseWall } from '../../functions/shared/time.ts';
import type { Simulator } from '../../simulator/server.ts';

export function testClient(
  sim: Simulator,
  accessToken: string,
  pageSize: number,
  opts: Partial<DataApiClientOptions> = {},
): DataApiClient {
  return new DataApiClient({
    url: sim.url,
    accessToken,
    pageSize,
    concurrency: 3,
    retry: { baseDelayMs: 5, maxDelayMs: 40 },
    ...opts,
  });
}

/** The distinct ids the simulator holds whose start is in [from, till], ascending. */
export function idsStartingIn(sim: Simulator, from: string, till: string): number[] {
  const a = parseWall(from) ?? 0;
  const b = parseWall(till) ?? 0;
  const ids = new Set<number>();
  for (const r of sim.rows) {
    const t = parseWall(String(r.call_start_date_time)) ?? -1;
    if (t >= a && t <= b) ids.add(Number(r.communication_id));
  }
  return [...ids].sort((x, y) => x - y);
}
