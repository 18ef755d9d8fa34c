import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { invoke } from '../../../../twin/core/invoke.ts';
import type { Principal } from '../../../../twin/core/principal.ts';
import type { ServiceDefinition } from '../../../../twin/core/service.ts';
import { iam } from '../../../../twin/services/iam/api.ts';
import { logs } from '../../../../twin/services/logs/api.ts';
import { deliverLogEvents } from '../../../../twin/services/logs/lookups.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { rootCredential, Twin } from '../../../../twin/twin.ts';

/**
 * How AWS services write into CloudWatch Logs: groups and streams made as
 * the writer may, nothing written when it may not; and the reading side's
 * retention, paging and PutLogEvents rules on a ManualClock.
 */
const ACCOUNT = '123456789012';
const clock = new ManualClock(Date.UTC(2026, 2, 1));
const twin = new Twin({ clock });
afterAll(() => twin.dispose());
const call = <O = Record<string, unknown>>(operation: string, input: object) =>
  invoke<unknown, O>(twin, logs as ServiceDefinition<unknown>, operation, input, {
    credential: rootCredential(ACCOUNT),
    region: 'us-east-1',
  });

async function roleSession(name: string, actions: string[]): Promise<Principal> {
  const trust = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  };
  const asRoot = { credential: rootCredential(ACCOUNT), region: 'us-east-1' };
  const { Role } = await invoke<unknown, { Role: { Arn: string; RoleId: string } }>(
    twin,
    iam as ServiceDefinition<unknown>,
    'CreateRole',
    { RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) },
    asRoot,
  );
  if (actions.length) {
    await invoke(
      twin,
      iam as ServiceDefinition<unknown>,
      'PutRolePolicy',
      {
        RoleName: name,
        PolicyName: 'logs',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
        }),
      },
      asRoot,
    );
  }
  return {
    kind: 'assumed-role',
    accountId: ACCOUNT,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/fn`,
    userId: `${Role.RoleId}:fn`,
    roleArn: Role.Arn,
    roleName: name,
    sessionName: 'fn',
  };
}

const target = (group: string, principal?: Principal) => ({
  accountId: ACCOUNT,
  region: 'us-east-1',
  logGroupName: group,
  logStreamName: '2026/03/01/[$LATEST]abc',
  createGroup: true,
  ...(principal && { principal }),
});

describe('deliverLogEvents', () => {
  let writer: Principal;
  let streamOnly: Principal;
  beforeAll(async () => {
    writer = await roleSession('writer', [
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
    streamOnly = await roleSession('stream-only', ['logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  test('a writer allowed all three makes the group and the stream and writes', async () => {
    const result = deliverLogEvents(twin, target('/aws/lambda/allowed', writer), [
      { timestamp: clock.now(), message: 'hello\n' },
    ]);
    expect(result).toEqual({ delivered: true });
    const { events } = await call<{ events: { message: string }[] }>('GetLogEvents', {
      logGroupName: '/aws/lambda/allowed',
      logStreamName: '2026/03/01/[$LATEST]abc',
    });
    expect(events.map((e) => e.message)).toEqual(['hello\n']);
  });

  test('without logs:CreateLogGroup nothing is written, and no group appears', async () => {
    const result = deliverLogEvents(twin, target('/aws/lambda/denied', streamOnly), [
      { timestamp: clock.now(), message: 'lost\n' },
    ]);
    expect(result.delivered).toBe(false);
    expect(await call('DescribeLogGroups', { logGroupNamePrefix: '/aws/lambda/denied' })).toEqual({
      logGroups: [],
    });
  });

  test('the same writer succeeds once the group exists', async () => {
    await call('CreateLogGroup', { logGroupName: '/aws/lambda/precreated' });
    expect(
      deliverLogEvents(twin, target('/aws/lambda/precreated', streamOnly), [
        { timestamp: clock.now(), message: 'x\n' },
      ]),
    ).toEqual({ delivered: true });
  });

  test('a service writing on its own needs the group to exist unless asked to make it', () => {
    const { createGroup: _, ...noCreate } = target('/aws/vpc/flowlogs');
    expect(deliverLogEvents(twin, noCreate, [{ timestamp: clock.now(), message: 'x' }]).delivered).toBe(
      false,
    );
  });
});

describe('reading back', () => {
  beforeAll(async () => {
    await call('CreateLogGroup', { logGroupName: '/read' });
    await call('CreateLogStream', { logGroupName: '/read', logStreamName: 's' });
    await call('PutLogEvents', {
      logGroupName: '/read',
      logStreamName: 's',
      logEvents: [0, 1, 2, 3, 4].map((i) => ({
        timestamp: clock.now() - 5 * 86_400_000 + i,
        message: `old ${i}`,
      })),
    });
    await call('PutLogEvents', {
      logGroupName: '/read',
      logStreamName: 's',
      logEvents: [{ timestamp: clock.now(), message: 'new' }],
    });
  });

  test('by default the latest events come back; backward tokens page towards the oldest', async () => {
    const latest = await call<{ events: { message: string }[]; nextBackwardToken: string }>('GetLogEvents', {
      logGroupName: '/read',
      logStreamName: 's',
      limit: 2,
    });
    expect(latest.events.map((e) => e.message)).toEqual(['old 4', 'new']);
    const before = await call<{ events: { message: string }[] }>('GetLogEvents', {
      logGroupName: '/read',
      logStreamName: 's',
      limit: 2,
      nextToken: latest.nextBackwardToken,
    });
    expect(before.events.map((e) => e.message)).toEqual(['old 2', 'old 3']);
  });

  test('a retention policy hides events older than its days', async () => {
    await call('PutRetentionPolicy', { logGroupName: '/read', retentionInDays: 3 });
    const { events } = await call<{ events: { message: string }[] }>('FilterLogEvents', {
      logGroupName: '/read',
    });
    expect(events.map((e) => e.message)).toEqual(['new']);
    const err = await call('PutRetentionPolicy', { logGroupName: '/read', retentionInDays: 2 }).catch(
      (e) => e,
    );
    expect(err.code).toBe('InvalidParameterException');
  });

  test('PutLogEvents rejects events too far in the future or past, and keeps the rest', async () => {
    const now = clock.now();
    const out = await call<{ rejectedLogEventsInfo: object }>('PutLogEvents', {
      logGroupName: '/read',
      logStreamName: 's',
      logEvents: [
        { timestamp: now - 15 * 86_400_000, message: 'ancient' },
        { timestamp: now - 4 * 86_400_000, message: 'expired by retention' },
        { timestamp: now - 1000, message: 'fresh' },
        { timestamp: now + 3 * 3_600_000, message: 'future' },
      ],
    });
    expect(out.rejectedLogEventsInfo).toEqual({
      tooOldLogEventEndIndex: 0,
      expiredLogEventEndIndex: 1,
      tooNewLogEventStartIndex: 3,
    });
    const { events } = await call<{ events: { message: string }[] }>('FilterLogEvents', {
      logGroupName: '/read',
      filterPattern: 'fresh',
    });
    expect(events).toHaveLength(1);
  });
});
