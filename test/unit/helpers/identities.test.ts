import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, test } from 'vitest';
import { clientsFor } from '../../../helpers/clients.ts';
import { CannotTellError } from '../../../helpers/errors.ts';
import { assumeRole } from '../../../helpers/identities.ts';
import { newRunId, RUN_TAG, runId, useRunId } from '../../../helpers/run.ts';
import { awsError, mockedClients } from './support.ts';

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

const ROLE = 'arn:aws:iam::123456789012:role/AuditRole';
const issued = {
  Credentials: {
    AccessKeyId: 'ASIAAUDIT',
    SecretAccessKey: 'audit-secret',
    SessionToken: 'audit-token',
    Expiration: new Date(),
  },
};

describe('assumeRole: acting as another principal of the lab', () => {
  test('assumes the role in a session named after the run, for an hour', async () => {
    sts.on(AssumeRoleCommand).resolves(issued);
    await assumeRole(mockedClients(), ROLE, { region: 'us-east-1', runId: 'mc-20261207-abcdef' });
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toEqual({
      RoleArn: ROLE,
      RoleSessionName: 'meshcheck-mc-20261207-abcdef',
      DurationSeconds: 3600,
    });
  });

  test('the session name stays within the 64 characters STS allows', async () => {
    sts.on(AssumeRoleCommand).resolves(issued);
    await assumeRole(mockedClients(), ROLE, { region: 'us-east-1', runId: 'r'.repeat(100) });
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input.RoleSessionName).toHaveLength(64);
  });

  test("the clients it returns call with the session's credentials", async () => {
    sts.on(AssumeRoleCommand).resolves(issued);
    sts.on(GetCallerIdentityCommand).resolves({ Arn: 'x' });
    const audit = await assumeRole(mockedClients(), ROLE, { region: 'eu-west-1', runId: 'mc-1' });
    const credentials = await audit.sts.config.credentials();
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAAUDIT',
      secretAccessKey: 'audit-secret',
      sessionToken: 'audit-token',
    });
    expect(await audit.sts.config.region()).toBe('eu-west-1');
  });

  test('a role the runner may not assume is cannot-tell, naming the role', async () => {
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 403));
    const error = await assumeRole(mockedClients(), ROLE, { region: 'us-east-1', runId: 'mc-1' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toContain(`assume ${ROLE}`);
  });
});

describe('clientsFor: one set of clients per account access, made on first use', () => {
  test('the same access gets the same clients; another access gets others', () => {
    const a = clientsFor({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    expect(clientsFor({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' })).toBe(a);
    expect(clientsFor({ region: 'us-west-2', endpoint: 'http://127.0.0.1:9' })).not.toBe(a);
    expect(a.ec2).toBe(a.ec2);
  });
});

describe('the run id', () => {
  test('is made once per process, dated, and is what a worker is told to use', () => {
    const id = runId();
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    expect(id).toMatch(new RegExp(`^mc-${today}-[0-9a-f]{6}$`));
    expect(runId()).toBe(id);
    useRunId('mc-handed-over');
    expect(runId()).toBe('mc-handed-over');
    const next = newRunId();
    expect(next).not.toBe(id);
    expect(next).toMatch(/^mc-\d{8}-[0-9a-f]{6}$/);
    expect(RUN_TAG).toBe('meshcheck:run');
  });
});
