import type { Twin } from '../../../twin.ts';

/**
 * CloudWatch Logs state of one account in one region: log groups by name,
 * each with its streams, each with its events in timestamp order. Times are
 * epoch ms on the twin's clock.
 */
export interface LogEventState {
  timestamp: number;
  message: string;
  ingestionTime: number;
  /** Unique within the account and region; FilterLogEvents' eventId. */
  eventId: string;
}

export interface LogStreamState {
  name: string;
  creationTime: number;
  /** Sorted by timestamp (ties in arrival order). */
  events: LogEventState[];
  lastIngestionTime?: number;
  /** PutLogEvents still hands out a token, though AWS now ignores it. */
  sequence: number;
}

export interface LogGroupState {
  name: string;
  creationTime: number;
  /** Days; undefined means never expire. */
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: 'STANDARD' | 'INFREQUENT_ACCESS' | 'DELIVERY';
  deletionProtectionEnabled: boolean;
  tags: Record<string, string>;
  streams: Map<string, LogStreamState>;
}

export class LogsModel {
  readonly groups = new Map<string, LogGroupState>();
  private eventSeq = 0;

  constructor(
    readonly twin: Twin,
    readonly accountId: string,
    readonly region: string,
  ) {}

  /** `arn:aws:logs:REGION:ACCOUNT:log-group:NAME` (without the `:*` that DescribeLogGroups' `arn` carries). */
  groupArn(name: string): string {
    return `arn:aws:logs:${this.region}:${this.accountId}:log-group:${name}`;
  }

  streamArn(group: string, stream: string): string {
    return `${this.groupArn(group)}:log-stream:${stream}`;
  }

  /** A 56-digit event id, as FilterLogEvents returns them: unique and increasing. */
  nextEventId(timestamp: number): string {
    this.eventSeq += 1;
    return `${String(timestamp).padStart(16, '0')}${String(this.eventSeq).padStart(40, '0')}`;
  }
}
