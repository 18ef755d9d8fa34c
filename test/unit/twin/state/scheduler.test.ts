import { describe, expect, test } from 'vitest';
import { ManualClock, systemClock } from '../../../../twin/state/clock.ts';
import { Scheduler } from '../../../../twin/state/scheduler.ts';

/**
 * The twin's own background work (SNS fan-out, the event source poller,
 * CloudTrail delivery) runs from the scheduler: on real timers for a
 * served twin, when a test moves a ManualClock otherwise.
 */
describe('on real timers', () => {
  test('a task that waits for seconds does not hold up a task due after it', async () => {
    const scheduler = new Scheduler(systemClock, true);
    const ran: string[] = [];
    let release = () => {};
    const running = new Promise<void>((resolve) => {
      release = resolve;
    });
    scheduler.after(0, async () => {
      ran.push('long task started');
      await running;
      ran.push('long task ended');
    });
    const later = new Promise<void>((resolve) =>
      scheduler.after(20, () => {
        ran.push('later task');
        resolve();
      }),
    );
    await later;
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual(['long task started', 'later task', 'long task ended']);
    scheduler.stop();
  });
});

describe('on a ManualClock', () => {
  test('runDue runs what is due in time order, including what due tasks schedule for now', async () => {
    const clock = new ManualClock(1_000);
    const scheduler = new Scheduler(clock, false);
    const ran: string[] = [];
    scheduler.at(1_200, () => void ran.push('second'));
    scheduler.at(1_100, () => {
      ran.push('first');
      scheduler.at(1_150, () => void ran.push('scheduled by first'));
    });
    scheduler.at(5_000, () => void ran.push('not yet'));
    clock.advance(500);
    expect(await scheduler.runDue()).toBe(3);
    expect(ran).toEqual(['first', 'scheduled by first', 'second']);
    expect(scheduler.pending).toBe(1);
  });
});
