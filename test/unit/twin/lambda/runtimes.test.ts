import { Runtime } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isBlocked, RUNTIME_TABLE, scheduleOf } from '../../../../twin/services/lambda/model/runtimes.ts';
import { functionInput, type LambdaLab, lambdaLab } from './fixtures.ts';

/**
 * Lambda's runtime deprecation schedule as the twin keeps it (data with its
 * source and the day it was read) and applies it on its clock: after
 * "Block function create" CreateFunction is refused; after "Block function
 * update" code updates and configuring the runtime are refused, while other
 * configuration changes still go through.
 */
const DAY = 86_400_000;
const at = (day: string) => Date.parse(`${day}T00:00:00Z`);
/** Node.js 20, blocked on purpose: the refusal under test. */
const NODE_20 = 'nodejs20.x';
/** Its days, from the table: the tests follow the data when AWS moves a date. */
const { blockCreate, blockUpdate } = scheduleOf(NODE_20)!;
const BLOCKED =
  'The runtime parameter of nodejs20.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.';

describe('the table', () => {
  test('names its source (the Lambda runtimes page) and the day it was read', () => {
    expect(RUNTIME_TABLE.source).toBe('https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html');
    expect(RUNTIME_TABLE.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test.for(RUNTIME_TABLE.runtimes)(
    '$identifier: an SDK runtime; deprecation ≤ block create ≤ block update, all dates',
    (row) => {
      expect(Object.values(Runtime) as string[]).toContain(row.identifier);
      for (const day of [row.deprecation, row.blockCreate, row.blockUpdate]) {
        expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(Number.isNaN(at(day))).toBe(false);
      }
      expect(at(row.deprecation)).toBeLessThanOrEqual(at(row.blockCreate));
      expect(at(row.blockCreate)).toBeLessThanOrEqual(at(row.blockUpdate));
    },
  );

  test('a block starts at 00:00 UTC of its day, on the clock given', () => {
    expect(isBlocked(NODE_20, 'create', at(blockCreate) - 1)).toBe(false);
    expect(isBlocked(NODE_20, 'create', at(blockCreate))).toBe(true);
    expect(isBlocked(NODE_20, 'update', at(blockUpdate) - 1)).toBe(false);
    expect(isBlocked(NODE_20, 'update', at(blockUpdate))).toBe(true);
    expect(isBlocked('nodejs22.x', 'create', at('2026-12-07'))).toBe(false);
  });
});

describe('Lambda on the twin clock', () => {
  let lab: LambdaLab;
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: { code: string; message: string; status?: number }) => e,
    );
  beforeAll(async () => {
    lab = await lambdaLab();
    lab.clock.advance(at(blockCreate) - DAY - lab.clock.now());
  });
  afterAll(() => lab.twin.dispose());

  test('nodejs20.x can be created before its block-create day, not from it', async () => {
    await lab.call('CreateFunction', functionInput('before-block', lab.bareRole, { Runtime: NODE_20 }));
    await lab.advance(DAY);
    expect(
      await failure(
        lab.call('CreateFunction', functionInput('after-block', lab.bareRole, { Runtime: NODE_20 })),
      ),
    ).toMatchObject({ code: 'InvalidParameterValueException', status: 400, message: BLOCKED });
    await lab.call('CreateFunction', functionInput('on-22', lab.bareRole, { Runtime: 'nodejs22.x' }));
  });

  test('between the blocks an existing function may still be updated, runtime included', async () => {
    await lab.call('UpdateFunctionConfiguration', { FunctionName: 'before-block', Timeout: 7 });
    await lab.advance(lab.activation());
    await lab.call('UpdateFunctionConfiguration', { FunctionName: 'before-block', Runtime: NODE_20 });
    await lab.advance(lab.activation());
  });

  test('from the block-update day: code and the runtime refused, other configuration accepted', async () => {
    await lab.advance(at(blockUpdate) - lab.clock.now());
    expect(
      await failure(
        lab.call('UpdateFunctionCode', { FunctionName: 'before-block', ZipFile: new Uint8Array([1]) }),
      ),
    ).toMatchObject({ code: 'InvalidParameterValueException', message: BLOCKED });
    expect(
      await failure(lab.call('UpdateFunctionConfiguration', { FunctionName: 'on-22', Runtime: NODE_20 })),
    ).toMatchObject({ code: 'InvalidParameterValueException', message: BLOCKED });
    const changed = await lab.call('UpdateFunctionConfiguration', {
      FunctionName: 'before-block',
      Timeout: 9,
    });
    expect(changed).toMatchObject({ Runtime: NODE_20, Timeout: 9 });
    await lab.advance(lab.activation());
    const moved = await lab.call('UpdateFunctionConfiguration', {
      FunctionName: 'before-block',
      Runtime: 'nodejs22.x',
    });
    expect(moved).toMatchObject({ Runtime: 'nodejs22.x' });
  });
});
