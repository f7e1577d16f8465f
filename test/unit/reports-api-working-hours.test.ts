/**
 * POST /reports `working_hours`: the subscription's by default, the body's own
 * when given, in the normal form; every refusal of the grammar a 400 with the
 * parser's one line, naming the field.
 */
import { describe, expect, it } from 'vitest';
import { handleApiEvent } from '../../functions/shared/http/reports-api.ts';
import { deps, ID, post } from '../support/reports-api.ts';
import { WORKING_HOURS_REFUSALS } from '../support/working-hours-refusals.ts';

describe('POST /reports working_hours', () => {
  it('takes the subscription’s working hours, in their normal form, when the body gives none', async () => {
    const { d, jobs } = deps();
    const r = await handleApiEvent(post({ date: '2024-10-21', subscription: 'support' }), d);
    expect(r.statusCode).toBe(202);
    expect(jobs.jobs.get(ID)?.request.working_hours).toBe('mon-fri 09:00-18:00');
    expect(JSON.parse(r.body).request.working_hours).toBe('mon-fri 09:00-18:00');
  });

  it('takes the body’s own working hours over the subscription’s, in their normal form', async () => {
    const { d, jobs } = deps();
    await handleApiEvent(
      post({
        date: '2024-10-21',
        subscription: 'support',
        working_hours: 'sat 10:00-16:00; MON-fri 9:00-19:00;',
      }),
      d,
    );
    expect(jobs.jobs.get(ID)?.request.working_hours).toBe('mon-fri 09:00-19:00; sat 10:00-16:00');
  });

  it('takes an empty text as no working hours, even when the subscription has some', async () => {
    const { d, jobs } = deps();
    await handleApiEvent(post({ date: '2024-10-21', subscription: 'support', working_hours: ' ' }), d);
    expect(jobs.jobs.get(ID)?.request.working_hours).toBeNull();
  });

  it.each(WORKING_HOURS_REFUSALS)(
    'refuses %s with 400 and the parser’s one line, naming the field',
    async (_what, text, message) => {
      const { d, started } = deps();
      const r = await handleApiEvent(
        post({ date: '2024-10-21', subscription: 'sales', working_hours: text }),
        d,
      );
      expect(r.statusCode).toBe(400);
      expect(JSON.parse(r.body)).toEqual({
        error: {
          code: 'invalid_working_hours',
          message: `working_hours: ${message}`,
          field: 'working_hours',
        },
      });
      expect(started).toEqual([]);
    },
  );
});
