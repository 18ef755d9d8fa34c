import type { AddPermissionRequest } from '@aws-sdk/client-lambda';
import { conflict, resourceNotFound, validationError } from '../errors.ts';
import type { FunctionState, PermissionStatement } from './index.ts';

/**
 * A function's resource-based policy, built statement by statement with
 * AddPermission (Lambda Developer Guide, "Viewing resource-based IAM
 * policies in Lambda"): a service principal becomes `{"Service": …}`, an
 * account id `{"AWS": "arn:aws:iam::ID:root"}`; SourceArn and
 * SourceAccount become ArnLike / StringEquals conditions. The policy is
 * evaluated on every Invoke by the twin's IAM evaluator.
 */

function principalOf(principal: string): PermissionStatement['Principal'] {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  return { Service: principal };
}

export function addPermission(fn: FunctionState, input: AddPermissionRequest): PermissionStatement {
  const sid = input.StatementId ?? '';
  if (!/^[a-zA-Z0-9-_]{1,100}$/.test(sid)) {
    throw validationError(
      'statementId',
      sid,
      'Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)',
    );
  }
  if (fn.policy.some((s) => s.Sid === sid)) {
    throw conflict(
      `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
    );
  }
  const condition: NonNullable<PermissionStatement['Condition']> = {};
  if (input.SourceArn) condition.ArnLike = { 'AWS:SourceArn': input.SourceArn };
  if (input.SourceAccount) condition.StringEquals = { 'AWS:SourceAccount': input.SourceAccount };
  if (input.PrincipalOrgID)
    condition.StringEquals = { ...condition.StringEquals, 'aws:PrincipalOrgID': input.PrincipalOrgID };
  const statement: PermissionStatement = {
    Sid: sid,
    Effect: 'Allow',
    Principal: principalOf(input.Principal ?? ''),
    Action: input.Action ?? 'lambda:InvokeFunction',
    Resource: fn.arn,
    ...(Object.keys(condition).length && { Condition: condition }),
  };
  fn.policy.push(statement);
  return statement;
}

export function removePermission(fn: FunctionState, sid: string | undefined): void {
  const at = fn.policy.findIndex((s) => s.Sid === sid);
  if (at < 0) throw resourceNotFound(`Statement ${sid ?? ''} is not found in resource policy.`);
  fn.policy.splice(at, 1);
}

/** The policy document, or undefined when the function has no statements. */
export function policyDocument(fn: FunctionState): string | undefined {
  if (!fn.policy.length) return undefined;
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: fn.policy });
}
