import { GetRoleCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../clients.ts';
import { classify, reading } from '../errors.ts';
import type { ResolvedTargets } from './resolve.ts';
import type { Targets } from './schema.ts';

/**
 * Resolves the data-protection part of targets: keys by alias, the topic and
 * queue by name, roles by name. A name AWS does not know stops the run
 * (exit 2); an answer the runner may not read is "cannot tell" (exit 3).
 */
export async function resolveDataProtection(
  targets: Targets,
  lab: AwsClients,
  ids: ResolvedTargets['ids'],
  accountIds: Record<string, string>,
  problems: string[],
): Promise<void> {
  const dp = targets.dataProtection!;
  const absent = async <T>(field: string, what: string, look: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await look();
    } catch (error) {
      if (classify(error) === 'not-found') {
        problems.push(`${field}: no ${what} in account ${accountIds.lab} (${targets.region})`);
        return undefined;
      }
      return reading(`look up ${what}`, () => Promise.reject(error));
    }
  };
  for (const [field, alias] of keyAliases(dp)) {
    if (ids.key[alias]) continue;
    const key = await absent(field, `KMS key ${alias}`, () =>
      lab.kms.send(new DescribeKeyCommand({ KeyId: alias })),
    );
    if (key) ids.key[alias] = key.KeyMetadata!.Arn!;
  }
  const topicArn = `arn:aws:sns:${targets.region}:${accountIds.lab}:${dp.topic}`;
  if (
    await absent('dataProtection.topic', `topic ${dp.topic}`, () =>
      lab.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn })),
    )
  )
    ids.topicArn = topicArn;
  const queue = await absent('dataProtection.queue', `queue ${dp.queue}`, () =>
    lab.sqs.send(new GetQueueUrlCommand({ QueueName: dp.queue })),
  );
  if (queue) ids.queueUrl = queue.QueueUrl!;
  for (const [field, name] of roleNames(dp)) {
    if (ids.role[name]) continue;
    const role = await absent(field, `role ${name}`, () =>
      lab.iam.send(new GetRoleCommand({ RoleName: name })),
    );
    if (role) ids.role[name] = role.Role!.Arn!;
  }
}

function keyAliases(dp: NonNullable<Targets['dataProtection']>): [string, string][] {
  return [
    ['dataProtection.eventsKey', dp.eventsKey],
    ['dataProtection.receiptKey', dp.receiptKey],
    ...dp.keys.map((k, i): [string, string] => [`dataProtection.keys[${i}].alias`, k.alias]),
  ];
}

function roleNames(dp: NonNullable<Targets['dataProtection']>): [string, string][] {
  const fromGrants = dp.keys.flatMap((k, i) =>
    [...k.decrypt.allow, ...k.decrypt.deny, ...k.generateDataKey.allow, ...k.generateDataKey.deny]
      .filter((p) => p.startsWith('role:'))
      .map((p): [string, string] => [`dataProtection.keys[${i}]`, p.slice(5)]),
  );
  return [
    ...dp.readers.map((r, i): [string, string] => [`dataProtection.readers[${i}]`, r]),
    ...dp.pipelineRoles.map((r, i): [string, string] => [`dataProtection.pipelineRoles[${i}]`, r]),
    ...fromGrants,
  ];
}

/**
 * The runner as policies see it. A role session's ARN does not carry the
 * role's path, so the role's ARN is read from IAM; a runner that may not
 * read its own role is taken at its word (no path).
 */
export async function runnerOf(clients: AwsClients, arn: string): Promise<ResolvedTargets['runner']> {
  const session = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
  if (!session) return { arn };
  try {
    const { Role } = await clients.iam.send(new GetRoleCommand({ RoleName: session[3] }));
    return { arn, roleArn: Role!.Arn! };
  } catch {
    return { arn, roleArn: `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` };
  }
}
