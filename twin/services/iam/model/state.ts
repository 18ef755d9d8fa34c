/**
 * IAM state of one account. IAM is global: one model per account, kept in
 * the twin's global region. Times are epoch ms on the twin's clock; policy
 * documents are kept as the caller sent them (IAM returns them URL-encoded).
 */
export interface Tag {
  Key: string;
  Value: string;
}

export interface RoleState {
  name: string;
  path: string;
  arn: string;
  /** `AROA…` */
  roleId: string;
  createDate: number;
  assumeRolePolicy: string;
  description?: string;
  /** Seconds, 3600–43200; bounds AssumeRole's DurationSeconds. */
  maxSessionDuration: number;
  tags: Tag[];
  /** Inline policies by name. */
  inline: Map<string, string>;
  /** ARNs of attached managed policies, in attach order. */
  attached: string[];
  lastUsed?: { date: number; region: string };
}

export interface AccessKeyState {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createDate: number;
}

export interface UserState {
  name: string;
  path: string;
  arn: string;
  /** `AIDA…` */
  userId: string;
  createDate: number;
  tags: Tag[];
  inline: Map<string, string>;
  attached: string[];
  accessKeys: AccessKeyState[];
}

export interface PolicyVersionState {
  /** `v1`, `v2`, … */
  versionId: string;
  document: string;
  createDate: number;
}

export interface ManagedPolicyState {
  name: string;
  path: string;
  arn: string;
  /** `ANPA…` */
  policyId: string;
  description?: string;
  createDate: number;
  updateDate: number;
  defaultVersionId: string;
  versions: PolicyVersionState[];
  /** Number of the next version to create (IAM never reuses version ids). */
  nextVersion: number;
  tags: Tag[];
  /** `arn:aws:iam::aws:policy/…`: read-only, shared by every account. */
  awsManaged: boolean;
}

export interface InstanceProfileState {
  name: string;
  path: string;
  arn: string;
  /** `AIPA…` */
  id: string;
  createDate: number;
  /** Names of its roles (IAM allows one). */
  roleNames: string[];
  tags: Tag[];
}
