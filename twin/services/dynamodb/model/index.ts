import { type Twin, worldPart } from '../../../twin.ts';
import type { AttributeValue, Item } from './values.ts';

export type KeyType = 'HASH' | 'RANGE';
export type ScalarType = 'S' | 'N' | 'B';

export interface KeyElement {
  name: string;
  type: ScalarType;
}

export interface TableState {
  name: string;
  arn: string;
  id: string;
  accountId: string;
  region: string;
  hash: KeyElement;
  range: KeyElement | undefined;
  attributeDefinitions: { AttributeName: string; AttributeType: ScalarType }[];
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  read: number;
  write: number;
  /** When the table last became PAY_PER_REQUEST. */
  payPerRequestSince: number | undefined;
  /** undefined: the AWS owned key (DescribeTable shows no SSEDescription). */
  kmsKeyArn: string | undefined;
  pointInTimeRecovery: boolean;
  pitrSince: number | undefined;
  recoveryPeriodInDays: number;
  deletionProtection: boolean;
  tags: Map<string, string>;
  createdAt: number;
  /** CREATING until then (the profile's dynamodbTableCreationMs). */
  activeAt: number;
  /** UPDATING until then, after UpdateTable. */
  updateDoneAt: number;
  /** Set by DeleteTable: DELETING until then, gone after. */
  deletingUntil: number | undefined;
  /** Items by their key's canonical text. */
  items: Map<string, Item>;
  /** Keys written within the consistency lag: what an eventually consistent read still sees, until when. */
  stale: Map<string, { before: Item | undefined; until: number }>;
  /** ItemCount and TableSizeBytes as last published, and when (see describeTable). */
  stats: { itemCount: number; sizeBytes: number; at: number };
}

export type TableStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';

export function statusOf(table: TableState, now: number): TableStatus {
  if (table.deletingUntil !== undefined) return 'DELETING';
  if (now < table.activeAt) return 'CREATING';
  if (now < table.updateDoneAt) return 'UPDATING';
  return 'ACTIVE';
}

/** Every DynamoDB model of a twin by `account/region`, for lookups by ARN from other parts of the twin. */
const dynamodbModels = worldPart({
  name: 'dynamodb.tables',
  make: () => new Map<string, DynamoDbModel>(),
  show: (byKey) => Object.fromEntries([...byKey].map(([key, m]) => [key, m.tables.size])),
});

export function existingModel(twin: Twin, accountId: string, region: string): DynamoDbModel | undefined {
  return twin.partIfMade(dynamodbModels)?.get(`${accountId}/${region}`);
}

/** DynamoDB state of one account in one Region: its tables by name. */
export class DynamoDbModel {
  private readonly all = new Map<string, TableState>();

  constructor(
    readonly twin: Twin,
    readonly accountId: string,
    readonly region: string,
  ) {
    twin.part(dynamodbModels).set(`${accountId}/${region}`, this);
  }

  arnOf(name: string): string {
    return `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${name}`;
  }

  /** Tables that still exist: one whose deletion has finished is dropped on the way. */
  get tables(): Map<string, TableState> {
    const now = this.twin.clock.now();
    for (const [name, t] of this.all)
      if (t.deletingUntil !== undefined && now >= t.deletingUntil) this.all.delete(name);
    return this.all;
  }
}

export type { AttributeValue, Item };
