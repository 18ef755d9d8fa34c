import type { CallerPosition } from '../../../../core/principal.ts';
import { recordTraffic, type TrafficRecord } from '../../../../network/traffic-log.ts';
import type { Twin } from '../../../../twin.ts';
import type { InstanceState } from '../../../ec2/model/state.ts';
import { modelledMs } from '../timing.ts';

/** The instance a script runs on, and when. */
export interface ShellHost {
  twin: Twin;
  region: string;
  instance: InstanceState;
  position: CallerPosition;
  /** The script file the agent writes (bash names it in its error messages). */
  scriptPath: string;
  /** Twin-clock ms at which the script starts. */
  startAt: number;
  /** Varies ports and jitter between runs (the command id). */
  seed: string;
}

/** What one program run did: its output, exit status and real duration. */
export interface Outcome {
  stdout: string;
  stderr: string;
  exitCode: number;
  realMs: number;
}

/** When in the script a program starts (real ms since the script began) and how long it may still run. */
export interface RunAt {
  offsetMs: number;
  remainingMs: number;
  /** Line number in the script, for bash's messages and per-line seeds. */
  line: number;
}

export type Program = (host: ShellHost, argv: string[], at: RunAt) => Outcome;

export function outcome(stdout: string, stderr: string, exitCode: number, realMs: number): Outcome {
  return { stdout, stderr, exitCode, realMs };
}

/** Records the packets of a program run (ping, nc) at their time on the twin clock. */
export function recordRun(
  host: ShellHost,
  at: RunAt,
  realMs: number,
  record: Omit<TrafficRecord, 'start' | 'end'>,
): void {
  const start = host.startAt + modelledMs(at.offsetMs, host.twin.profile);
  recordTraffic(host.twin, { ...record, start, end: start + modelledMs(realMs, host.twin.profile) });
}
