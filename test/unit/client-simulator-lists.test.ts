/**
 * The client (functions/shared/dataapi/) and the simulator keep their own lists
 * of what get.mgf_calls has, so that the simulator is never built on the
 * client it tests; these tests keep the two copies in agreement.
 */
import { describe, expect, it } from 'vitest';
import { MGF_CALLS_COLUMNS, UNSORTABLE_COLUMNS } from '../../functions/shared/dataapi/columns.ts';
import { FILTER_OPERATORS as CLIENT_OPERATORS } from '../../functions/shared/dataapi/filter.ts';
import { FULL_FIELDS, UNSORTABLE } from '../../simulator/columns.ts';
import { FILTER_OPERATORS as SIMULATOR_OPERATORS } from '../../simulator/query.ts';

/**
 * Operators of the Data API that get.mgf_calls refuses (docs/data-api.md, "not
 * every operator works on this method"): the client lets them through, the
 * simulator answers them as the API does.
 */
const REFUSED_BY_THE_METHOD = ['regexp', 'jsquery', 'overlap', 'not_overlap'];

describe('the client and the simulator agree on get.mgf_calls', () => {
  it('has the same columns, in the same order', () => {
    expect([...FULL_FIELDS]).toEqual([...MGF_CALLS_COLUMNS]);
  });

  it('refuses sorting by the same columns', () => {
    expect([...UNSORTABLE].sort()).toEqual([...UNSORTABLE_COLUMNS].sort());
  });

  it('has the same filter operators but for those the method refuses', () => {
    const simulator: readonly string[] = SIMULATOR_OPERATORS;
    const client: readonly string[] = CLIENT_OPERATORS;
    expect(simulator.filter((op) => !client.includes(op))).toEqual([]);
    expect(client.filter((op) => !simulator.includes(op))).toEqual(REFUSED_BY_THE_METHOD);
  });
});
