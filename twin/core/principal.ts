/**
 * Who is calling. Resolved from the request's access key id by the gateway;
 * policies are looked up at evaluation time, so a policy change through the
 * IAM API takes effect on the next call, as in AWS.
 */
export type Principal =
  | { kind: 'root'; accountId: string; arn: string; userId: string }
  | { kind: 'user'; accountId: string; arn: string; userId: string; userName: string }
  | {
      kind: 'assumed-role';
      accountId: string;
      /** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` */
      arn: string;
      /** `AROA…:SESSION` */
      userId: string;
      roleArn: string;
      roleName: string;
      sessionName: string;
      /** Session policy passed to AssumeRole, if any; intersects with the role's policies. */
      sessionPolicy?: string;
    }
  | { kind: 'service'; accountId: string; arn: string; userId: string; service: string };

/** Where a caller sits in a lab network, for callers that run inside it (Lambda, instances). */
export interface CallerPosition {
  accountId: string;
  region: string;
  vpcId: string;
  subnetId: string;
  securityGroupIds: string[];
  /** The ENI whose address the calls leave from. */
  networkInterfaceId: string;
  privateIp: string;
}

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  principal: Principal;
  /** Epoch ms; absent for long-term keys. */
  expiresAt?: number;
  /** Set for credentials handed to code running inside the lab. */
  position?: CallerPosition;
}
