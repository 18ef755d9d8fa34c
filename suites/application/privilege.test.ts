import { describe, inject } from 'vitest';
import { decideMatrix, type PairVerdict, wrongPairs } from '../../helpers/application/privilege.ts';
import { tryRefusedRead } from '../../helpers/application/privilege-live.ts';
import { expandMatrix, resourceArn } from '../../helpers/application/privilege-matrix.ts';
import { getPrincipalPolicies } from '../../helpers/application/privilege-principal.ts';
import { broadStatements } from '../../helpers/application/privilege-wildcards.ts';
import { attachEvidence } from '../../helpers/evidence.ts';
import { assumeRole } from '../../helpers/identities.ts';
import { roleTrusts } from '../../helpers/observability/roles.ts';
import { Lab } from '../../helpers/targets/lab.ts';
import { eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';

/**
 * Least privilege, proven: each role and operator targets name is allowed
 * exactly its matrix, decided by IAM's own simulator and by ours (S14, S16);
 * no wildcard in a role's policies grants beyond it (S15); and one read an
 * operator must not make is tried for real and refused by IAM (S17).
 */

const lab = new Lab(inject('targets'));
const { region, runId } = lab.targets;
const account = lab.targets.accountIds.lab!;
const app = lab.targets.application;
const matrixLab = { region, accountId: account, runId };
const none = app ? undefined : 'no application in targets';

const verdictLines = (verdicts: PairVerdict[]) =>
  verdicts
    .map(
      (v) =>
        `${v.action} on ${v.ref}: ${v.allowed ? 'allowed' : 'refused'} (IAM ${v.iam}, ours ${v.ours}${v.resourcePolicy === 'ours' ? ', bucket policy ours alone' : ''})`,
    )
    .join('; ');

describe.concurrent('S · Roles are allowed exactly what their work needs', { tags: ['config'] }, () => {
  eachRow(app?.roles ?? [], none ?? 'no roles in application.roles', (r) => r.role)(
    {
      id: 'S14',
      seed: seed(
        'mesh',
        'PHASE 6 — IAM policies: writing only, no reading or deleting items (principle of least privilege)',
      ),
    },
    '$role is allowed exactly its matrix',
    async (row, { expect, annotate, skip }) => {
      if (!expandMatrix(row, matrixLab).length) return skip(`${row.role}'s matrix names no action`);
      const { verdicts } = await decideMatrix(lab.clients(), matrixLab, row.role, row);
      const wrong = wrongPairs(verdicts);
      await attachEvidence(annotate, 'config', verdictLines(verdicts), { verdicts });
      expect(wrong, `${row.role}, decided by IAM's simulator and the project's evaluator`).toEqual([]);
    },
  );

  eachRow(app?.roles ?? [], none ?? 'no roles in application.roles', (r) => r.role)(
    {
      id: 'S15',
      seed: seed(
        'mesh',
        'PHASE 8 — Lambda validation: writes to DynamoDB and uploads to S3 only via their own policies',
      ),
    },
    "$role's policies grant no wildcard beyond what its matrix needs",
    async (row, { expect, annotate }) => {
      const role = await getPrincipalPolicies(lab.clients(), row.role, account);
      // Lambda's execution policies are needed by any role Lambda may assume (privilege-wildcards.ts).
      const lambda = roleTrusts(
        { roleArn: role.arn, trust: role.trust ?? '{}', identity: role.identity },
        'lambda.amazonaws.com',
        { 'aws:SourceAccount': account },
      ).allowed;
      const broad = broadStatements(role.identity, expandMatrix(row, matrixLab), { lambda });
      await attachEvidence(
        annotate,
        'config',
        broad.length ? broad.join('; ') : `no wildcard beyond the matrix in ${role.identity.length} policies`,
        { policies: role.identity.map((p) => p.id), lambdaExecutionRole: lambda, broad },
      );
      expect(broad, `${row.role}: statements granting beyond its matrix`).toEqual([]);
    },
  );
});

describe.concurrent('S · Operators are allowed and refused as intended', { tags: ['config'] }, () => {
  eachRow(app?.operators ?? [], none ?? 'no operators in application.operators', (o) => o.principal)(
    { id: 'S16', seed: seed('mesh', 'Post-lab validation 5 — IAM: the IAM user has restricted access') },
    '$principal is allowed and refused as its matrix says',
    async (row, { expect, annotate, skip }) => {
      if (!expandMatrix(row, matrixLab).length) return skip(`${row.principal}'s matrix names no action`);
      const { verdicts } = await decideMatrix(lab.clients(), matrixLab, row.principal, row);
      const wrong = wrongPairs(verdicts);
      await attachEvidence(annotate, 'config', verdictLines(verdicts), { verdicts });
      expect(wrong, `${row.principal}, decided by IAM's simulator and the project's evaluator`).toEqual([]);
    },
  );
});

describe.concurrent('S · A refused read is refused by IAM, tried for real', { tags: ['live'] }, () => {
  eachRow(app?.operators ?? [], none ?? 'no operators in application.operators', (o) => o.principal)(
    { id: 'S17', seed: seed('mesh', 'Final success checklist — IAM restrictions working') },
    'a refused read by $principal, tried for real, is refused by IAM',
    async (row, { expect, annotate, skip }) => {
      const attempt = row.liveTry;
      if (!attempt) return skip(`no liveTry for ${row.principal} in targets`);
      const roleArn = attempt.assume.startsWith('arn:')
        ? attempt.assume
        : `arn:aws:iam::${account}:role/${attempt.assume}`;
      const resource = resourceArn(attempt.resource, matrixLab);
      const as = await assumeRole(lab.clients(), roleArn, { region, runId });
      const tried = await tryRefusedRead({
        runner: lab.clients(),
        as,
        action: attempt.action,
        resource,
        who: attempt.assume,
      });
      await attachEvidence(
        annotate,
        'live',
        `${attempt.action} on ${attempt.resource}: ${tried.answer}`,
        tried,
      );
      expect(tried.outcome, `${attempt.action} on ${resource} as ${attempt.assume}`).toBe('refused');
    },
  );
});
