/**
 * The figures by employee (`employees`, docs/metrics.md "By employee"): one
 * `add` per distinct external call of the period, one `callback` per missed
 * call an employee's call resolved and one `unreturned` per missed call that
 * ended unreturned (see missed.ts).
 *
 * Choices where the contract is silent:
 * - `avg_talk_seconds`: over the answered external calls credited to them,
 *   both directions (matching `talk_seconds`); means skip a null talk or wait.
 * - The names a missed call rang (`rangNames`): its `employees`, a name
 *   repeated within one call counted once, empty names ignored; for `missed`
 *   and `unreturned` a call that rang none counts for NO_EMPLOYEE.
 * - An employee who only made callbacks (e.g. after the period) still gets a row.
 * - Sorted by `missed` desc, then name (Russian collation), NO_EMPLOYEE last
 *   whatever its `missed`.
 */
import type { Call } from '../../calls/call.ts';
import type { EmployeeFigures } from '../types.ts';
import { mean, nonEmpty } from './values.ts';

/** The name used when a call names no employee (the one place it is written). */
export const NO_EMPLOYEE = '(no employee)';

/** Who a call is credited to: received_call, else the first employee, else NO_EMPLOYEE. */
export function creditedName(call: Call): string {
  if (nonEmpty(call.receivedCall)) return call.receivedCall;
  const emps = call.employees;
  for (let i = 0; i < emps.length; i++) {
    const e = emps[i];
    if (nonEmpty(e)) return e;
  }
  return NO_EMPLOYEE;
}

/** The distinct non-empty names a missed call rang, in the API's order (`[]` when none). */
export function rangNames(call: Call): string[] {
  const names: string[] = [];
  const emps = call.employees;
  for (let k = 0; k < emps.length; k++) {
    const name = emps[k];
    if (nonEmpty(name) && emps.indexOf(name) === k) names.push(name);
  }
  return names;
}

interface EmployeeAcc {
  name: string;
  incoming_answered: number;
  outgoing: number;
  outgoing_answered: number;
  missed: number;
  unreturned: number;
  talk_seconds: number;
  talkSum: number;
  talkCount: number;
  waitSum: number;
  waitCount: number;
  callbacks: number;
}

function newEmployee(name: string): EmployeeAcc {
  return {
    name,
    incoming_answered: 0,
    outgoing: 0,
    outgoing_answered: 0,
    missed: 0,
    unreturned: 0,
    talk_seconds: 0,
    talkSum: 0,
    talkCount: 0,
    waitSum: 0,
    waitCount: 0,
    callbacks: 0,
  };
}

const collator = new Intl.Collator('ru');

function compareEmployees(a: EmployeeAcc, b: EmployeeAcc): number {
  const nobody = (a.name === NO_EMPLOYEE ? 1 : 0) - (b.name === NO_EMPLOYEE ? 1 : 0);
  return nobody || b.missed - a.missed || collator.compare(a.name, b.name);
}

export class EmployeesAccumulator {
  private readonly byName = new Map<string, EmployeeAcc>();

  /** A distinct external call that started in the period. */
  add(c: Call): void {
    if (c.direction === 'in' && c.lost) {
      this.rang(c, 'missed');
      return;
    }
    const e = this.employee(creditedName(c));
    const talk = c.talkSeconds;
    if (c.direction === 'in') {
      e.incoming_answered++;
      if (talk !== null) {
        e.talk_seconds += talk;
        e.talkSum += talk;
        e.talkCount++;
      }
      const w = c.awaitSeconds;
      if (w !== null) {
        e.waitSum += w;
        e.waitCount++;
      }
      return;
    }
    e.outgoing++;
    if (!c.lost) {
      e.outgoing_answered++;
      if (talk !== null) {
        e.talk_seconds += talk;
        e.talkSum += talk;
        e.talkCount++;
      }
    }
  }

  /** A missed call that `name`'s call resolved as `called_back`. */
  callback(name: string): void {
    this.employee(name).callbacks++;
  }

  /** A missed call of the period that ended `unreturned`: counted for every name it rang. */
  unreturned(miss: Call): void {
    this.rang(miss, 'unreturned');
  }

  result(): EmployeeFigures[] {
    return Array.from(this.byName.values())
      .sort(compareEmployees)
      .map((e) => ({
        name: e.name,
        incoming_answered: e.incoming_answered,
        outgoing: e.outgoing,
        outgoing_answered: e.outgoing_answered,
        missed: e.missed,
        unreturned: e.unreturned,
        talk_seconds: e.talk_seconds,
        avg_talk_seconds: mean(e.talkSum, e.talkCount),
        avg_wait_seconds: mean(e.waitSum, e.waitCount),
        callbacks: e.callbacks,
      }));
  }

  /** Counts a missed call for every name it rang (as `rangNames`, without the list), or for NO_EMPLOYEE. */
  private rang(c: Call, figure: 'missed' | 'unreturned'): void {
    const emps = c.employees;
    let credited = 0;
    for (let k = 0; k < emps.length; k++) {
      const name = emps[k];
      if (!nonEmpty(name) || emps.indexOf(name) !== k) continue;
      this.employee(name)[figure]++;
      credited++;
    }
    if (credited === 0) this.employee(NO_EMPLOYEE)[figure]++;
  }

  private employee(name: string): EmployeeAcc {
    let acc = this.byName.get(name);
    if (acc === undefined) {
      acc = newEmployee(name);
      this.byName.set(name, acc);
    }
    return acc;
  }
}
