import { describe, expect, it } from 'vitest';
import { formattedPhone } from '../../functions/shared/calls/phone.ts';

describe('formattedPhone: a number for reading', () => {
  it.each([
    ['+7 (495) 023-06-25', '+7 495 023-06-25'],
    ['84950230625', '+7 495 023-06-25'],
    ['9161234567', '+7 916 123-45-67'],
    ['74950230625', '+7 495 023-06-25'],
    ['4950230625', '4950230625'],
    ['+44 20 7946 0958', '+44 20 7946 0958'],
    ['123', '123'],
    ['anonymous', 'anonymous'],
    [null, null],
  ])('%s → %s', (display, formatted) => {
    expect(formattedPhone(display)).toBe(formatted);
  });

  it('uses the normal form it is given', () => {
    expect(formattedPhone('8 (916) 123-45-67', '79161234567')).toBe('+7 916 123-45-67');
    expect(formattedPhone('hidden', null)).toBe('hidden');
  });
});
