import { describe, expect, it } from 'vitest';
import { InvalidFilterError, validateFilter } from '../../functions/shared/dataapi/filter.ts';

function failure(input: unknown): InvalidFilterError {
  try {
    validateFilter(input);
  } catch (e) {
    if (e instanceof InvalidFilterError) return e;
    throw e;
  }
  throw new Error('expected the filter to be refused');
}

describe('validateFilter', () => {
  it('accepts a simple filter', () => {
    expect(validateFilter({ field: 'virtual_phone_number', operator: '=', value: '74951234567' })).toEqual({
      field: 'virtual_phone_number',
      operator: '=',
      value: '74951234567',
    });
  });

  it('accepts a two-level tree', () => {
    const f = {
      condition: 'and',
      filters: [
        { field: 'call_direction', operator: '=', value: 'Входящий звонок' },
        {
          condition: 'or',
          filters: [
            { field: 'virtual_phone_number', operator: 'in', value: ['74951234567', '74957654321'] },
            { field: 'virtual_number_comment', operator: 'is_null' },
          ],
        },
      ],
    };
    expect(validateFilter(f)).toEqual(f);
  });

  it.each([
    ['not an object', 'x', 'filter', /must be an object/],
    ['unknown column', { field: 'colour', operator: '=', value: 'x' }, 'filter.field', /not a column/],
    [
      'unknown operator',
      { field: 'call_status', operator: '~', value: 'x' },
      'filter.operator',
      /not an operator/,
    ],
    [
      'list operator with a scalar',
      { field: 'call_status', operator: 'in', value: 'x' },
      'filter.value',
      /array/,
    ],
    [
      'null operator with a value',
      { field: 'tags', operator: 'is_null', value: 'x' },
      'filter.value',
      /takes no value/,
    ],
    [
      'scalar operator with an object',
      { field: 'tags', operator: '=', value: {} },
      'filter.value',
      /string, number or boolean/,
    ],
    ['unknown key', { field: 'tags', operator: '=', value: 'a', extra: 1 }, 'filter.extra', /unknown key/],
    [
      'bad condition',
      { condition: 'xor', filters: [{ field: 'tags', operator: 'is_null' }] },
      'filter.condition',
      /"and" or "or"/,
    ],
    ['empty filters', { condition: 'and', filters: [] }, 'filter.filters', /non-empty/],
    [
      'bad member deep inside',
      { condition: 'and', filters: [{ condition: 'or', filters: [{ field: 'tags', operator: 'nope' }] }] },
      'filter.filters[0].filters[0].operator',
      /not an operator/,
    ],
    [
      'three levels',
      {
        condition: 'and',
        filters: [
          {
            condition: 'or',
            filters: [{ condition: 'and', filters: [{ field: 'tags', operator: 'is_null' }] }],
          },
        ],
      },
      'filter.filters[0].filters[0]',
      /deeper than 2 levels/,
    ],
  ])('refuses %s and names the offending part', (_name, input, path, message) => {
    const e = failure(input);
    expect(e.path).toBe(path);
    expect(e.message).toContain(path);
    expect(e.message).toMatch(message);
  });
});
