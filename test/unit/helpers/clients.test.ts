import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { EC2Client } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCommandInvocationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { DEFAULT_MAX_ATTEMPTS } from '../../../helpers/aws-settings.ts';
import { takeCalls } from '../../../helpers/calls.ts';
import { clientsFor, forgetClients } from '../../../helpers/clients.ts';
import { PENDING_CHANNEL, type PendingMessage } from '../../../helpers/pending.ts';
import { runId } from '../../../helpers/run.ts';

const access = {
  region: 'eu-west-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'AKIDCLIENTS', secretAccessKey: 's' },
};

afterEach(() => {
  vi.unstubAllEnvs();
  forgetClients();
});

/** No retry setting anywhere: neither in the environment nor in a profile. */
function noRetrySettings(): void {
  vi.stubEnv('AWS_MAX_ATTEMPTS', undefined);
  vi.stubEnv('AWS_RETRY_MODE', undefined);
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_CONFIG_FILE', '/dev/null');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/dev/null');
}

/** An AWS config file of its own (the SDK caches files by path) holding `text`. */
function configFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'meshcheck-aws-config-')), 'config');
  writeFileSync(path, text);
  return path;
}

describe('clientsFor: one set of clients per account access', () => {
  test('the same access gives the same clients; any part that differs gives others', () => {
    const clients = clientsFor(access);
    expect(clientsFor({ ...access })).toBe(clients);
    for (const other of [
      { ...access, region: 'us-east-1' },
      { ...access, endpoint: 'http://127.0.0.1:10' },
      { ...access, credentials: { accessKeyId: 'AKIDOTHER', secretAccessKey: 's' } },
      { ...access, assumeRoleArn: 'arn:aws:iam::111122223333:role/Reader' },
    ])
      expect(clientsFor(other)).not.toBe(clients);
    const asReader = clientsFor({
      ...access,
      credentials: undefined,
      assumeRoleArn: 'arn:aws:iam::1:role/Reader',
    });
    const asAudit = clientsFor({
      ...access,
      credentials: undefined,
      assumeRoleArn: 'arn:aws:iam::1:role/Audit',
    });
    expect(asAudit).not.toBe(asReader);
  });

  test('forgetting the clients makes new ones, with new credentials', () => {
    const clients = clientsFor(access);
    forgetClients();
    expect(clientsFor(access)).not.toBe(clients);
  });

  test('one client per service, made once, of the service’s own class', () => {
    const clients = clientsFor(access);
    expect(Object.keys(clients)).toEqual([
      'ec2',
      'ssm',
      'sts',
      'iam',
      's3',
      'lambda',
      'kms',
      'sns',
      'sqs',
      'cloudtrail',
      'logs',
      'dynamodb',
      'elbv2',
      'route53',
    ]);
    expect(clients.ec2).toBeInstanceOf(EC2Client);
    expect(clients.s3).toBeInstanceOf(S3Client);
    expect(clients.ec2).toBe(clients.ec2);
    expect(clients.s3).not.toBe(clients.ec2);
  });

  test('clients are set for the access: region, endpoint, credentials', async () => {
    const { s3 } = clientsFor(access);
    expect(await s3.config.region()).toBe('eu-west-1');
    const endpoint = await s3.config.endpoint!();
    expect([endpoint.hostname, endpoint.port]).toEqual(['127.0.0.1', 9]);
    expect((await s3.config.credentials()).accessKeyId).toBe('AKIDCLIENTS');
  });

  test('without an endpoint the SDK’s own settings decide', async () => {
    const { ec2 } = clientsFor({ region: 'eu-west-1', credentials: access.credentials });
    expect(ec2.config.endpoint).toBeUndefined();
  });
});

describe('clientsFor with a role to assume', () => {
  const sts = mockClient(STSClient);
  afterEach(() => sts.reset());

  test('credentials are the role’s, assumed in a session named after the run', async () => {
    // The SDK's credential provider assumes the role with its own STS client (of @aws-sdk/nested-clients,
    // loaded as CommonJS by @aws-sdk/credential-providers): that is the class to mock.
    const nested = createRequire(import.meta.url)('@aws-sdk/nested-clients/sts') as {
      STSClient: typeof STSClient;
      AssumeRoleCommand: typeof AssumeRoleCommand;
    };
    const inner = mockClient(nested.STSClient);
    try {
      let stsAt: { hostname: string; port?: number } | undefined;
      inner.on(nested.AssumeRoleCommand).callsFake(async (_input, getClient) => {
        stsAt = await (getClient().config as { endpoint: () => Promise<typeof stsAt> }).endpoint();
        return {
          Credentials: {
            AccessKeyId: 'ASIAROLE',
            SecretAccessKey: 's',
            SessionToken: 't',
            Expiration: new Date(Date.now() + 3_600_000),
          },
        };
      });
      const { ec2 } = clientsFor({
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:9',
        assumeRoleArn: 'arn:aws:iam::111122223333:role/Reader',
      });
      expect((await ec2.config.credentials()).accessKeyId).toBe('ASIAROLE');
      // STS is asked at the access's endpoint too (the twin, when the suite runs against it).
      expect([stsAt?.hostname, stsAt?.port]).toEqual(['127.0.0.1', 9]);
      const call = inner.commandCalls(nested.AssumeRoleCommand)[0]!;
      expect(call.args[0].input).toEqual({
        RoleArn: 'arn:aws:iam::111122223333:role/Reader',
        RoleSessionName: `meshcheck-${runId()}`,
      });
    } finally {
      inner.restore();
    }
  });

  test('the role’s ExternalId and session length from the targets go to AssumeRole', async () => {
    const nested = createRequire(import.meta.url)('@aws-sdk/nested-clients/sts') as {
      STSClient: typeof STSClient;
      AssumeRoleCommand: typeof AssumeRoleCommand;
    };
    const inner = mockClient(nested.STSClient);
    try {
      inner.on(nested.AssumeRoleCommand).resolves({
        Credentials: {
          AccessKeyId: 'ASIAEXTERNAL',
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: new Date(Date.now() + 3_600_000),
        },
      });
      const { ec2 } = clientsFor({
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:9',
        assumeRoleArn: 'arn:aws:iam::111122223333:role/Audit',
        externalId: 'meshcheck-audit-7f3a',
        durationSeconds: 900,
      });
      expect((await ec2.config.credentials()).accessKeyId).toBe('ASIAEXTERNAL');
      expect(inner.commandCalls(nested.AssumeRoleCommand)[0]!.args[0].input).toEqual({
        RoleArn: 'arn:aws:iam::111122223333:role/Audit',
        RoleSessionName: `meshcheck-${runId()}`,
        ExternalId: 'meshcheck-audit-7f3a',
        DurationSeconds: 900,
      });
      // Another ExternalId is another access: not the clients (and session) made for the first.
      expect(
        clientsFor({
          region: 'eu-west-1',
          endpoint: 'http://127.0.0.1:9',
          assumeRoleArn: 'arn:aws:iam::111122223333:role/Audit',
          externalId: 'other',
          durationSeconds: 900,
        }),
      ).not.toBe(
        clientsFor({
          region: 'eu-west-1',
          endpoint: 'http://127.0.0.1:9',
          assumeRoleArn: 'arn:aws:iam::111122223333:role/Audit',
          externalId: 'meshcheck-audit-7f3a',
          durationSeconds: 900,
        }),
      );
    } finally {
      inner.restore();
    }
  });

  test('static credentials win over a role', async () => {
    const { ec2 } = clientsFor({ ...access, assumeRoleArn: 'arn:aws:iam::111122223333:role/Reader' });
    expect((await ec2.config.credentials()).accessKeyId).toBe('AKIDCLIENTS');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });
});

describe('every call is counted and told, by service and operation', () => {
  test('the operation’s name without the Command suffix (only the suffix)', async () => {
    // The real send, middleware and all: another file's module-level mock of SSMClient may still hold the
    // prototype when files share one module graph (the mutation run does).
    mockClient(SSMClient).restore();
    const listener = new BroadcastChannel(PENDING_CHANNEL);
    const heard: PendingMessage[] = [];
    listener.onmessage = (event) => heard.push((event as unknown as { data: PendingMessage }).data);
    try {
      const { ssm } = clientsFor(access);
      // Answered before the network: the call is counted when it starts.
      ssm.middlewareStack.add(() => async () => ({ output: { $metadata: {} }, response: {} }), {
        step: 'build',
        name: 'unitTestAnswer',
      });
      takeCalls();
      await ssm.send(new GetCommandInvocationCommand({ CommandId: 'c', InstanceId: 'i' }));
      expect(takeCalls()).toEqual({ 'ssm.GetCommandInvocation': 1 });
      for (let i = 0; i < 200 && !heard.some((m) => m.kind === 'call'); i++)
        await new Promise((r) => setImmediate(r));
      expect(heard).toContainEqual({
        kind: 'call',
        name: 'ssm.GetCommandInvocation',
        at: expect.any(Number),
      });
    } finally {
      listener.close();
    }
  });
});

describe('every call names the suite in its User-Agent', () => {
  test('app/meshcheck-<version>, so an auditor can find the suite’s own calls in CloudTrail', async () => {
    const agents: string[] = [];
    const server = createServer((req, res) => {
      agents.push(String(req.headers['user-agent']));
      res
        .writeHead(403, { 'content-type': 'text/xml' })
        .end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>',
        );
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    try {
      const { port } = server.address() as AddressInfo;
      vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
      // KMS: a client no other test of this file replaces with a mock.
      const { kms } = clientsFor({ ...access, endpoint: `http://127.0.0.1:${port}` });
      await expect(kms.send(new DescribeKeyCommand({ KeyId: 'alias/any' }))).rejects.toThrow('no');
      const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };
      expect(agents).toHaveLength(1);
      // The SDK writes the app id's `/` as `-`, a User-Agent token's value may not hold it.
      expect(agents[0]).toContain(`app/meshcheck-${version}`);
    } finally {
      server.close();
    }
  });
});

/**
 * Retries are the SDK's own settings, as every AWS tool honours them: AWS_MAX_ATTEMPTS and AWS_RETRY_MODE,
 * else the profile's max_attempts and retry_mode ("Retry behavior", AWS SDKs and Tools Reference Guide);
 * meshcheck only supplies a default of 5 attempts where nothing is set. Counted on the wire: a server that
 * answers every request 503 (retryable) sees one request per attempt.
 */
describe('retries follow the SDK’s settings, with a default of five attempts', () => {
  async function attemptsAgainst503(): Promise<number> {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(503, { 'content-type': 'application/x-amz-json-1.1' }).end('{}');
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    try {
      const { port } = server.address() as AddressInfo;
      // KMS: a client no other test of this file replaces with a mock.
      const { kms } = clientsFor({ ...access, endpoint: `http://127.0.0.1:${port}` });
      await expect(kms.send(new DescribeKeyCommand({ KeyId: 'alias/any' }))).rejects.toBeDefined();
      return requests;
    } finally {
      server.close();
    }
  }

  test('nothing set: five attempts, standard mode', async () => {
    noRetrySettings();
    const { kms } = clientsFor(access);
    expect(await kms.config.maxAttempts()).toBe(DEFAULT_MAX_ATTEMPTS);
    expect(await (kms.config.retryMode as () => Promise<string>)()).toBe('standard');
    expect(await attemptsAgainst503()).toBe(5);
  });

  test('AWS_MAX_ATTEMPTS and AWS_RETRY_MODE win over the default', async () => {
    noRetrySettings();
    vi.stubEnv('AWS_MAX_ATTEMPTS', '2');
    vi.stubEnv('AWS_RETRY_MODE', 'adaptive');
    const { kms } = clientsFor(access);
    expect(await kms.config.maxAttempts()).toBe(2);
    expect(await (kms.config.retryMode as () => Promise<string>)()).toBe('adaptive');
    forgetClients();
    vi.stubEnv('AWS_RETRY_MODE', undefined);
    expect(await attemptsAgainst503()).toBe(2);
  });

  test('the profile’s max_attempts and retry_mode (AWS_PROFILE, as --profile sets it)', async () => {
    noRetrySettings();
    vi.stubEnv(
      'AWS_CONFIG_FILE',
      configFile('[default]\nmax_attempts = 4\n\n[profile ci]\nmax_attempts = 3\nretry_mode = adaptive\n'),
    );
    vi.stubEnv('AWS_PROFILE', 'ci');
    const { kms } = clientsFor(access);
    expect(await kms.config.maxAttempts()).toBe(3);
    expect(await (kms.config.retryMode as () => Promise<string>)()).toBe('adaptive');
    forgetClients();
    vi.stubEnv('AWS_PROFILE', undefined);
    // The default profile's setting, without AWS_PROFILE.
    expect(await attemptsAgainst503()).toBe(4);
  });

  test('AWS_MAX_ATTEMPTS wins over the profile, as in the SDK', async () => {
    noRetrySettings();
    vi.stubEnv('AWS_CONFIG_FILE', configFile('[default]\nmax_attempts = 4\n'));
    vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
    expect(await attemptsAgainst503()).toBe(1);
  });
});
