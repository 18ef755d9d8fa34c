import { afterEach, describe, expect, test, vi } from 'vitest';
import { bounded, RunStop } from '../../../cli/stop.ts';

describe('RunStop: how a run is told to stop', () => {
  let stop: RunStop | undefined;
  afterEach(() => {
    stop?.release();
    vi.restoreAllMocks();
  });

  function capture(): string[] {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    return lines;
  }

  test('the first signal stops the run with its exit code; a second is acknowledged, not obeyed', async () => {
    const lines = capture();
    stop = new RunStop(90_000);
    stop.takeSignals();
    process.emit('SIGTERM', 'SIGTERM');
    expect(await stop.stopped).toEqual({ kind: 'signal', signal: 'SIGTERM', exitCode: 143 });
    process.emit('SIGINT', 'SIGINT');
    expect(stop.cause).toEqual({ kind: 'signal', signal: 'SIGTERM', exitCode: 143 });
    expect(lines.join('')).toContain('interrupted (SIGTERM)');
    expect(lines.join('')).toContain(
      'SIGINT received again — still removing what this run created (at most 90 s)',
    );
  });

  test('the deadline stops the run saying what was pending, with names escaped', async () => {
    const lines = capture();
    stop = new RunStop(90_000);
    stop.armDeadline(10, () => 'still pending:\n  check: N1 App\u001b[2J-VPC');
    const cause = await stop.stopped;
    expect(cause).toMatchObject({ kind: 'deadline', deadlineMs: 10 });
    expect(lines.join('')).toContain('check: N1 App\\x1b[2J-VPC');
  });

  test('bounded gives up on work that overstays, and says so', async () => {
    const lines = capture();
    expect(await bounded('the sweep', new Promise(() => {}), 10)).toBe(false);
    expect(await bounded('the sweep', Promise.resolve(), 10)).toBe(true);
    expect(lines.join('')).toContain('gave up waiting for the sweep');
  });
});
