import { invalidParameterValue, missingParameter } from '../errors.ts';
import type { QueueState } from './state.ts';

/**
 * AddPermission / RemovePermission: statements SQS writes into the queue
 * policy for account principals (API_AddPermission). The policy is the
 * same document SetQueueAttributes Policy sets, so both views agree.
 */
interface PolicyDoc {
  Version: string;
  Id?: string;
  Statement: { Sid?: string; [k: string]: unknown }[];
}

function policyOf(queue: QueueState): PolicyDoc {
  if (!queue.attributes.Policy)
    return { Version: '2012-10-17', Id: `${queue.arn}/SQSDefaultPolicy`, Statement: [] };
  return JSON.parse(queue.attributes.Policy) as PolicyDoc;
}

export function addPermission(
  queue: QueueState,
  label: string,
  accounts: string[],
  actions: string[],
  now: number,
): void {
  if (!label) throw missingParameter('Label');
  if (accounts.length === 0) throw missingParameter('AWSAccountId');
  if (actions.length === 0) throw missingParameter('ActionName');
  const policy = policyOf(queue);
  if (policy.Statement.some((s) => s.Sid === label))
    throw invalidParameterValue(`Value ${label} for parameter Label is invalid. Reason: Already exists.`);
  const principals = accounts.map((a) => `arn:aws:iam::${a}:root`);
  const names = actions.map((a) => (a === '*' ? 'SQS:*' : `SQS:${a}`));
  policy.Statement.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: names.length === 1 ? names[0] : names,
    Resource: queue.arn,
  });
  queue.attributes.Policy = JSON.stringify(policy);
  queue.lastModifiedAt = now;
}

export function removePermission(queue: QueueState, label: string, now: number): void {
  const policy = policyOf(queue);
  const kept = policy.Statement.filter((s) => s.Sid !== label);
  if (kept.length === policy.Statement.length)
    throw invalidParameterValue(
      `Value ${label} for parameter Label is invalid. Reason: can't find label on existing policy.`,
    );
  if (kept.length === 0) delete queue.attributes.Policy;
  else queue.attributes.Policy = JSON.stringify({ ...policy, Statement: kept });
  queue.lastModifiedAt = now;
}
