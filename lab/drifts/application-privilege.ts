import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { bucketOf, resourceArn } from '../../helpers/application/privilege-matrix.ts';
import type {
  LeastPrivilegeRoleTarget,
  OperatorTarget,
  ResolvedTargets,
} from '../../helpers/targets/index.ts';
import type { Break, Drift } from './types.ts';

/**
 * Drifts of least privilege: a role given more than its work needs, through
 * an inline policy added as an operator would (PutRolePolicy). The grant is
 * wider than the lab's intent, never narrower, so what used to work still
 * does — only the least-privilege checks can notice.
 */

const roleName = (ref: string) =>
  ref
    .split('/')
    .at(-1)!
    .replace(/^role:/, '');

/** The writer's role, as application.roles names it: the role of the function application.writer invokes. */
function writerRole(lab: ResolvedTargets): LeastPrivilegeRoleTarget | undefined {
  const app = lab.application;
  const fn = app?.functions.find((f) => f.name === app.writer?.function);
  return fn && app?.roles.find((r) => roleName(r.role) === roleName(fn.role));
}

/** An operator with a live try of an S3 object read (the one the second drift hands the operator). */
function objectReader(lab: ResolvedTargets): OperatorTarget | undefined {
  return lab.application?.operators.find(
    (o) => o.liveTry?.action.toLowerCase() === 's3:getobject' && o.liveTry.resource.startsWith('bucket:'),
  );
}

const grant = (Sid: string, Action: string, Resource: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid, Effect: 'Allow', Action, Resource }] });

const writerDynamodbStar: Drift = {
  id: 'app-writer-role-dynamodb-star',
  says: "the writer's role gains dynamodb:* on every resource (the function still works)",
  appliesTo: (lab) => Boolean(writerRole(lab)),
  async breaks(lab) {
    const role = writerRole(lab)!;
    // S14 fails where the matrix refuses some DynamoDB action; S15 on the wildcard itself.
    const refusesDynamodb = role.deny.some((e) => e.actions.some((a) => a.startsWith('dynamodb:')));
    return [
      ...(refusesDynamodb ? [{ id: 'S14', row: role.role }] : []),
      { id: 'S15', row: role.role },
    ] satisfies Break[];
  },
  async apply(lab, op) {
    await op('lab').iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName(writerRole(lab)!.role),
        PolicyName: 'drift-dynamodb-everything',
        PolicyDocument: grant('DynamodbEverything', 'dynamodb:*', '*'),
      }),
    );
  },
};

const operatorReadsObjects: Drift = {
  id: 'app-operator-role-reads-objects',
  says: "the operator's role gains s3:GetObject on the app bucket's objects",
  appliesTo: (lab) => Boolean(objectReader(lab)),
  async breaks(lab) {
    const operator = objectReader(lab)!;
    const assumed = roleName(operator.liveTry!.assume);
    const bucket = operator.liveTry!.resource.slice('bucket:'.length).split('/')[0];
    // S16 fails when the operator is that role and its matrix refuses reading the bucket's objects.
    const refusesReads = operator.deny.some(
      (e) =>
        e.actions.some((a) => a.toLowerCase() === 's3:getobject') &&
        e.resources.some((r) => r.startsWith(`bucket:${bucket}/`)),
    );
    return [
      ...(operator.principal === `role:${assumed}` && refusesReads
        ? [{ id: 'S16', row: operator.principal }]
        : []),
      { id: 'S17', row: operator.principal },
    ] satisfies Break[];
  },
  async apply(lab, op) {
    const operator = objectReader(lab)!;
    const arn = resourceArn(operator.liveTry!.resource, {
      region: lab.region,
      accountId: lab.accountIds.lab!,
      runId: lab.runId,
    });
    await op('lab').iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName(operator.liveTry!.assume),
        PolicyName: 'drift-read-app-objects',
        PolicyDocument: grant('ReadAppObjects', 's3:GetObject', `arn:aws:s3:::${bucketOf(arn)}/*`),
      }),
    );
  },
};

export const applicationPrivilegeDrifts: Drift[] = [writerDynamodbStar, operatorReadsObjects];
