import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { AuthorizeSecurityGroupEgressCommand } from '@aws-sdk/client-ec2';
import {
  GetFunctionConfigurationCommand,
  type Runtime,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import RUNTIMES from '../../common/lambda-runtimes.json' with { type: 'json' };
import { groupKey } from '../../helpers/targets/application.ts';
import type { ResolvedTargets } from '../../helpers/targets/index.ts';
import type { AppFunctionTarget } from '../../helpers/targets/schema-application.ts';
import type { Break, Drift, Operator } from './types.ts';

/**
 * Drifts of the application's configuration (S1–S9): a function moved or
 * opened, a bucket's protections turned off, the table recreated with other
 * keys. Each finds what it changes from the targets and changes it through
 * the public API, as an operator would.
 */
const app = (lab: ResolvedTargets) => lab.application;
const writerFn = (lab: ResolvedTargets) =>
  app(lab)?.functions.find((f) => f.name === app(lab)?.writer?.function);
/** The bucket the writer writes to, as targets describe it (its row of S7–S9). */
const appBucket = (lab: ResolvedTargets) =>
  app(lab)?.buckets.find((b) => b.name === app(lab)?.writer?.bucket);
/** A function other than the writer whose egress targets hold exactly (seed 003's processor). */
const processor = (lab: ResolvedTargets) =>
  app(lab)?.functions.find((f) => f.name !== app(lab)?.writer?.function && f.egress);

async function updateVpc(lab: ResolvedTargets, op: Operator, f: AppFunctionTarget, subnets: string[]) {
  const lambda = op('lab').lambda;
  const ids = lab.ids.application!;
  await lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: f.name,
      VpcConfig: {
        SubnetIds: subnets.map((s) => lab.ids.subnet[s]!),
        SecurityGroupIds: subnets.length
          ? f.securityGroups.map((g) => ids.securityGroup[groupKey(f.vpc, g)]!)
          : [],
      },
    }),
  );
  // "LastUpdateStatus … InProgress" until Lambda has applied it (Lambda function states).
  await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 120 }, { FunctionName: f.name });
}

/**
 * Out of the VPC: S1 fails, and S4, since no security group limits a
 * function outside a VPC. The writer still reaches DynamoDB and S3 through
 * Lambda's own network, so it still works (S10–S12 pass).
 */
export const writerOutOfVpc: Drift = {
  id: 'app-writer-out-of-vpc',
  says: 'the event writer is taken out of its VPC',
  appliesTo: (lab) => Boolean(writerFn(lab)),
  breaks: async (lab) => [
    { id: 'S1', row: writerFn(lab)!.name },
    ...(writerFn(lab)!.egress ? [{ id: 'S4', row: writerFn(lab)!.name }] : []),
  ],
  apply: (lab, op) => updateVpc(lab, op, writerFn(lab)!, []),
};

export const writerInOneAz: Drift = {
  id: 'app-writer-one-az',
  says: 'the event writer runs in one of its subnets only (one AZ)',
  appliesTo: (lab) => (writerFn(lab)?.subnets.length ?? 0) > 1,
  breaks: async (lab) => [{ id: 'S1', row: writerFn(lab)!.name }],
  apply: (lab, op) => updateVpc(lab, op, writerFn(lab)!, writerFn(lab)!.subnets.slice(0, 1)),
};

/**
 * One intended environment variable of the writer is given another value.
 * Where it names what the writer writes to (its bucket or table), the writer
 * now writes where it may not, or to nothing, and its invocation fails (S10;
 * S11 and S12 are blocked by it).
 */
export const writerEnvironmentChanged: Drift = {
  id: 'app-writer-environment-changed',
  says: "one of the event writer's environment variables is given another value",
  appliesTo: (lab) => Object.keys(writerFn(lab)?.environment ?? {}).length > 0,
  breaks: async (lab) => {
    const f = writerFn(lab)!;
    const value = Object.values(f.environment)[0];
    const w = app(lab)?.writer;
    const namesTarget = w?.function === f.name && (value === w.bucket || value === w.table);
    return [{ id: 'S2', row: f.name }, ...(namesTarget ? [{ id: 'S10', row: f.name }] : [])];
  },
  async apply(lab, op) {
    const lambda = op('lab').lambda;
    const f = writerFn(lab)!;
    const [key, value] = Object.entries(f.environment)[0]!;
    const now = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: f.name }));
    // UpdateFunctionConfiguration replaces the whole set of variables (Lambda API Reference, Environment).
    const Variables = { ...now.Environment?.Variables, [key]: `${value}-drifted` };
    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: f.name, Environment: { Variables } }),
    );
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 120 }, { FunctionName: f.name });
  },
};

/** Suspended versioning keeps the versions made so far and makes no new ones (S3 User Guide, "Using versioning"). */
export const appBucketVersioningSuspended: Drift = {
  id: 'app-bucket-versioning-suspended',
  says: "the app bucket's versioning is suspended",
  appliesTo: (lab) => Boolean(appBucket(lab)?.versioning),
  breaks: async (lab) => [{ id: 'S8', row: appBucket(lab)!.name }],
  async apply(lab, op) {
    await op('lab').s3.send(
      new PutBucketVersioningCommand({
        Bucket: appBucket(lab)!.name,
        VersioningConfiguration: { Status: 'Suspended' },
      }),
    );
  },
};

export const appBucketPublicPolicyAllowed: Drift = {
  id: 'app-bucket-public-access-block-off',
  says: "one of the app bucket's Block Public Access settings (BlockPublicPolicy) is turned off",
  appliesTo: (lab) => Boolean(appBucket(lab)),
  breaks: async (lab) => [{ id: 'S7', row: appBucket(lab)!.name }],
  async apply(lab, op) {
    await op('lab').s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: appBucket(lab)!.name,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: true,
        },
      }),
    );
  },
};

type Statement = { Effect?: string; Condition?: Record<string, Record<string, unknown>> };

/** The statement that refuses plain HTTP: a Deny on aws:SecureTransport (found by what it says, not its Sid). */
const isTlsDeny = (s: Statement) =>
  s.Effect === 'Deny' &&
  Object.values(s.Condition ?? {}).some((c) =>
    Object.keys(c).some((k) => k.toLowerCase() === 'aws:securetransport'),
  );

export const appBucketTlsDenyRemoved: Drift = {
  id: 'app-bucket-tls-deny-removed',
  says: "the app bucket's policy loses its statement refusing plain HTTP",
  appliesTo: (lab) => Boolean(appBucket(lab)?.tlsOnly),
  breaks: async (lab) => [{ id: 'S9', row: appBucket(lab)!.name }],
  async apply(lab, op) {
    const s3 = op('lab').s3;
    const Bucket = appBucket(lab)!.name;
    const { Policy } = await s3.send(new GetBucketPolicyCommand({ Bucket }));
    const policy = JSON.parse(Policy!) as { Statement: Statement | Statement[] };
    const kept = [policy.Statement].flat().filter((s) => !isTlsDeny(s));
    if (!kept.length) await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
    else
      await s3.send(
        new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ ...policy, Statement: kept }) }),
      );
  },
};

/** The table the writer writes to, as targets describe it, when it has a sort key to change. */
const writerTable = (lab: ResolvedTargets) => {
  const t = app(lab)?.tables.find((x) => x.name === app(lab)?.writer?.table) ?? app(lab)?.tables[0];
  return t?.sortKey ? t : undefined;
};

/**
 * The table is deleted and created again under its name with another sort
 * key (a key schema cannot change in place: UpdateTable has no KeySchema).
 * S5 fails; the new table has point-in-time recovery off ("disabled by
 * default", DynamoDB Developer Guide), so S6 fails where it is intended
 * on; the writer's PutItem now lacks a key attribute and is refused with a
 * ValidationException, so its invocation fails (S10; S11 and S12 are
 * blocked by it).
 */
export const tableSortKeyChanged: Drift = {
  id: 'app-table-sort-key-changed',
  says: 'the table is recreated under its name with another sort key',
  appliesTo: (lab) => Boolean(writerTable(lab)),
  breaks: async (lab) => {
    const t = writerTable(lab)!;
    const writer = app(lab)?.writer;
    return [
      { id: 'S5', row: t.name },
      ...(t.pointInTimeRecovery ? [{ id: 'S6', row: t.name }] : []),
      ...(writer?.table === t.name ? [{ id: 'S10', row: writer.function }] : []),
    ];
  },
  async apply(lab, op) {
    const dynamodb = op('lab').dynamodb;
    const TableName = writerTable(lab)!.name;
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName }));
    const hash = Table!.KeySchema!.find((k) => k.KeyType === 'HASH')!.AttributeName!;
    const type = Table!.AttributeDefinitions!.find((a) => a.AttributeName === hash)!.AttributeType!;
    const input: CreateTableCommandInput = {
      TableName,
      KeySchema: [
        { AttributeName: hash, KeyType: 'HASH' },
        { AttributeName: 'meshcheckDriftSortKey', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: hash, AttributeType: type },
        { AttributeName: 'meshcheckDriftSortKey', AttributeType: 'S' },
      ],
      BillingMode: Table!.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
      ...(Table!.BillingModeSummary?.BillingMode !== 'PAY_PER_REQUEST' && {
        ProvisionedThroughput: {
          ReadCapacityUnits: Table!.ProvisionedThroughput?.ReadCapacityUnits ?? 1,
          WriteCapacityUnits: Table!.ProvisionedThroughput?.WriteCapacityUnits ?? 1,
        },
      }),
      // The operator keeps the table's encryption: only its keys change.
      ...(Table!.SSEDescription?.SSEType === 'KMS' && {
        SSESpecification: {
          Enabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: Table!.SSEDescription.KMSMasterKeyArn,
        },
      }),
    };
    await dynamodb.send(new DeleteTableCommand({ TableName }));
    await waitUntilTableNotExists(
      { client: dynamodb, minDelay: 1, maxDelay: 5, maxWaitTime: 120 },
      { TableName },
    );
    await dynamodb.send(new CreateTableCommand(input));
    await waitUntilTableExists(
      { client: dynamodb, minDelay: 1, maxDelay: 5, maxWaitTime: 120 },
      { TableName },
    );
  },
};

/**
 * The processor's first security group gains AWS's default egress, all
 * traffic to 0.0.0.0/0: S4 fails for every function that group serves.
 */
export const processorEgressOpened: Drift = {
  id: 'app-processor-egress-open',
  says: "the processor's security group egress is opened to 0.0.0.0/0",
  appliesTo: (lab) => Boolean(processor(lab)),
  breaks: async (lab) => {
    const p = processor(lab)!;
    const group = groupKey(p.vpc, p.securityGroups[0]!);
    return app(lab)!
      .functions.filter((f) => f.egress && f.securityGroups.some((g) => groupKey(f.vpc, g) === group))
      .map((f): Break => ({ id: 'S4', row: f.name }));
  },
  async apply(lab, op) {
    const p = processor(lab)!;
    await op('lab').ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: lab.ids.application!.securityGroup[groupKey(p.vpc, p.securityGroups[0]!)]!,
        IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
  },
};

/** A runtime's language: `nodejs22.x` → `nodejs`, `python3.10` → `python`. */
const family = (runtime: string | undefined) => /^[a-z]+/.exec(runtime ?? '')?.[0];

/**
 * A runtime AWS has deprecated but whose function updates it does not block
 * yet (common/lambda-runtimes.json: past "Deprecation date", before "Block
 * function update"), of the writer's own language when there is one.
 */
async function deprecatedRuntimeFor(lab: ResolvedTargets, op: Operator) {
  const now = Date.now();
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const open = RUNTIMES.runtimes.filter((r) => day(r.deprecation) <= now && now < day(r.blockUpdate));
  const { Runtime } = await op('lab').lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: writerFn(lab)!.name }),
  );
  const same = open.find((r) => family(r.identifier) === family(Runtime));
  const pick = same ?? open[0];
  return pick && { runtime: pick.identifier, sameLanguage: Boolean(same) };
}

/**
 * The writer is moved to a deprecated runtime Lambda still lets a function
 * be updated to ("Runtime deprecation": updates are blocked only from the
 * "Block function update" date): S3 fails. When no runtime of the writer's
 * own language is in that window, one of another language is taken, and the
 * handler no longer loads, so the invocation fails too (S10; S11 and S12 are
 * blocked by it).
 */
export const writerRuntimeDeprecated: Drift = {
  id: 'app-writer-runtime-deprecated',
  says: "the event writer's runtime is set to one AWS has deprecated (but still lets functions be updated to)",
  appliesTo: (lab) => Boolean(writerFn(lab)),
  async breaks(lab, op) {
    const name = writerFn(lab)!.name;
    const pick = await deprecatedRuntimeFor(lab, op);
    if (!pick) throw new Error('no runtime in common/lambda-runtimes.json is deprecated yet updatable today');
    const invoked = app(lab)?.writer?.function === name && !pick.sameLanguage;
    return [{ id: 'S3', row: name }, ...(invoked ? [{ id: 'S10', row: name }] : [])];
  },
  async apply(lab, op) {
    const lambda = op('lab').lambda;
    const FunctionName = writerFn(lab)!.name;
    const pick = (await deprecatedRuntimeFor(lab, op))!;
    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName, Runtime: pick.runtime as Runtime }),
    );
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 120 }, { FunctionName });
  },
};

export const applicationConfigDrifts: Drift[] = [
  writerOutOfVpc,
  writerInOneAz,
  writerEnvironmentChanged,
  appBucketVersioningSuspended,
  appBucketPublicPolicyAllowed,
  appBucketTlsDenyRemoved,
  tableSortKeyChanged,
  processorEgressOpened,
  writerRuntimeDeprecated,
];
