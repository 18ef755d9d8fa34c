import type { Twin } from '../../../twin.ts';

/** One copy of a command for one instance; its status is derived from these timestamps when read. */
export interface InvocationState {
  instanceId: string;
  /** The node's fully qualified host name (ListCommandInvocations' InstanceName). */
  instanceName: string;
  /** What happened once the agent could be reached, or could not. Set on the first read after delivery time. */
  settled?: Settlement;
  /** Twin time the agent was last seen unreachable while the command waited for it. */
  offlineSeenAt?: number;
  cancelledAt?: number;
}

export type Settlement =
  | {
      kind: 'ran';
      startAt: number;
      endAt: number;
      stdout: string;
      stderr: string;
      exitCode: number;
      timedOut: boolean;
    }
  | { kind: 'undeliverable'; at: number }
  | { kind: 'delivery-timed-out'; at: number };

export interface CommandState {
  id: string;
  documentName: string;
  comment: string;
  parameters: Record<string, string[]>;
  /** As requested (empty when Targets were used). */
  instanceIds: string[];
  targets: { Key: string; Values: string[] }[];
  /** Delivery timeout (SendCommand TimeoutSeconds). */
  timeoutSeconds: number;
  executionTimeoutSeconds: number;
  maxConcurrency: string;
  maxErrors: string;
  outputS3BucketName: string;
  outputS3KeyPrefix: string;
  serviceRoleArn: string;
  requestedAt: number;
  /** GetCommandInvocation answers InvocationDoesNotExist before this. */
  visibleAt: number;
  /** The agent picks the command up at this time, if it is Online. */
  deliverAt: number;
  invocations: InvocationState[];
}

/** Systems Manager state of one account in one region: the commands sent, oldest first. */
export class SsmModel {
  readonly commands = new Map<string, CommandState>();
  /** When each instance was last seen Online (DescribeInstanceInformation's LastPingDateTime once it is lost). */
  readonly lastOnline = new Map<string, number>();

  constructor(
    readonly twin: Twin,
    readonly accountId: string,
    readonly region: string,
  ) {}
}
