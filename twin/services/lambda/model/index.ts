import type { Twin } from '../../../twin.ts';

/**
 * Lambda state of one account in one region. Transitions (Pending → Active,
 * LastUpdateStatus InProgress → Successful, an event source mapping's
 * Creating → Enabled) are timestamps on the twin's clock, derived when read.
 */
export interface FunctionCode {
  zip: Uint8Array;
  /** Base64 SHA-256 of the package, as CodeSha256. */
  sha256: string;
  size: number;
}

export interface FunctionVpc {
  vpcId: string;
  subnetIds: string[];
  securityGroupIds: string[];
}

/** One statement of the function's resource-based policy (AddPermission). */
export interface PermissionStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: '*' | { Service: string } | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface FunctionState {
  name: string;
  arn: string;
  runtime: string;
  handler: string;
  role: string;
  description: string;
  timeout: number;
  memorySize: number;
  environment: Record<string, string>;
  code: FunctionCode;
  vpc?: FunctionVpc;
  tags: Record<string, string>;
  policy: PermissionStatement[];
  /** Changes with every change of code or configuration (RevisionId, warm environments' key). */
  revisionId: string;
  createdAt: number;
  lastModified: number;
  /** State is Pending before this, Active after. */
  activeAt: number;
  /** LastUpdateStatus is InProgress before this, Successful after. */
  updateDoneAt: number;
}

export interface EventSourceMappingState {
  uuid: string;
  functionArn: string;
  eventSourceArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  enabled: boolean;
  /** Creating before this, then Enabled or Disabled; Updating between an update and `settledAt`. */
  createdAt: number;
  settledAt: number;
  updating: boolean;
  lastModified: number;
  functionResponseTypes: string[];
}

/** A Hyperplane ENI shared by every function of the account with the same subnet and security groups. */
export interface HyperplaneEni {
  networkInterfaceId: string;
  subnetId: string;
  securityGroupIds: string[];
  /** ARNs of the functions using it. */
  users: Set<string>;
  /** Set once unused: Lambda releases it at this time unless a function takes it again. */
  releaseAt?: number;
}

export class LambdaModel {
  readonly functions = new Map<string, FunctionState>();
  readonly eventSourceMappings = new Map<string, EventSourceMappingState>();
  /** By `subnetId|sg-a,sg-b`. */
  readonly hyperplane = new Map<string, HyperplaneEni>();

  constructor(
    readonly twin: Twin,
    readonly accountId: string,
    readonly region: string,
  ) {}

  functionArn(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
  }
}
