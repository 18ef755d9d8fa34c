import type { CallerPosition, Credential, Principal } from '../../core/principal.ts';
import type { Twin } from '../../twin.ts';

export interface SessionRequest {
  /** `arn:aws:iam::ACCOUNT:role/PATH/NAME` */
  roleArn: string;
  /** The role's unique id (`AROA…`), as IAM assigned it. */
  roleId: string;
  sessionName: string;
  durationSeconds?: number;
  sessionPolicy?: string;
  /** For code running inside the lab (Lambda functions, instance profiles). */
  position?: CallerPosition;
  /** Sessions the twin hands out itself (a seeded runner) may outlive AssumeRole's 12 h. */
  neverExpires?: boolean;
}

/**
 * Mints temporary credentials for a role session (`ASIA…` key, session
 * token, expiry) and registers them, so the next request signed with them
 * is made by `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`. AssumeRole,
 * the Lambda runtime and the EC2 instance profile all come through here.
 */
export function issueRoleSession(twin: Twin, request: SessionRequest): Credential {
  const [, , , , accountId = '', resource = ''] = request.roleArn.split(':');
  const roleName = resource.split('/').at(-1) ?? '';
  const principal: Principal = {
    kind: 'assumed-role',
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${request.sessionName}`,
    userId: `${request.roleId}:${request.sessionName}`,
    roleArn: request.roleArn,
    roleName,
    sessionName: request.sessionName,
    ...(request.sessionPolicy && { sessionPolicy: request.sessionPolicy }),
  };
  const credential: Credential = {
    accessKeyId: twin.ids.upper('ASIA', 20),
    secretAccessKey: twin.ids.hex(40),
    sessionToken: `twin-session/${twin.ids.hex(48)}`,
    principal,
    ...(!request.neverExpires && { expiresAt: twin.clock.now() + (request.durationSeconds ?? 3600) * 1000 }),
    ...(request.position && { position: request.position }),
  };
  twin.credentials.set(credential.accessKeyId, credential);
  return credential;
}
