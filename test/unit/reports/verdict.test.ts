import { describe, expect, test } from 'vitest';
import {
  type CaseLike,
  type ErrorLike,
  errorClassOf,
  messageOf,
  outcomeOf,
  type ParentLike,
  verdictOf,
} from '../../../reports/verdict.ts';

/** Errors as vitest serializes them (shapes taken from a real run). */
const assertion: ErrorLike = {
  name: 'AssertionError',
  message: 'prod → dev must stay silent: expected true to be false // Object.is equality',
  expected: 'false',
  actual: 'true',
  diff: '\u001b[32m- Expected\u001b[39m\n\u001b[31m+ Received\u001b[39m',
  stack:
    'AssertionError: prod → dev\n    at /work/suites/network.test.ts:8:46\n    at file:///work/node_modules/@vitest/runner/dist/x.js:1:1',
};
const deviation: ErrorLike = {
  name: 'LabDeviationError',
  message: 'vpc-0abc not found',
  constructor: 'Function<LabDeviationError>',
};
const cannotTell: ErrorLike = {
  name: 'CannotTellError',
  message: 'could not read route tables',
  cause: {
    name: 'Caused by: AccessDenied',
    message: 'User is not authorized to perform ec2:DescribeRouteTables',
  },
};
const typeError: ErrorLike = {
  name: 'TypeError',
  message: "Cannot read properties of undefined (reading 'VpcId')",
};
const timeout: ErrorLike = {
  name: 'Error',
  message: 'Test timed out in 60000ms.',
  constructor: 'Function<Error>',
};

function parent(errors: ErrorLike[] = [], name = 'N · section', up?: ParentLike): ParentLike {
  return {
    type: up ? 'suite' : 'module',
    name,
    relativeModuleId: 'suites/network.test.ts',
    errors: () => errors,
    parent: up,
  };
}

function testCase(result: ReturnType<CaseLike['result']>, mode = 'run', up: ParentLike = parent()): CaseLike {
  return { options: { mode }, result: () => result, parent: up };
}

describe('verdictOf', () => {
  test('a passed test passes', () => {
    expect(verdictOf(testCase({ state: 'passed' }))).toBe('pass');
  });

  test.for([
    ['AssertionError', assertion, 'fail'],
    ['LabDeviationError', deviation, 'fail'],
    ['CannotTellError', cannotTell, 'error'],
    ['TypeError (a bug, not a finding)', typeError, 'error'],
    ['a timeout', timeout, 'error'],
  ] as const)('%s → %s', ([, error, verdict]) => {
    expect(verdictOf(testCase({ state: 'failed', errors: [error] }))).toBe(verdict);
  });

  test('a definite failure outranks an error in the same test', () => {
    expect(verdictOf(testCase({ state: 'failed', errors: [cannotTell, assertion] }))).toBe('fail');
  });

  test('a custom class that did not set name is known by its constructor', () => {
    expect(errorClassOf({ name: 'Error', message: 'x', constructor: 'Function<LabDeviationError>' })).toBe(
      'LabDeviationError',
    );
    expect(
      verdictOf(
        testCase({
          state: 'failed',
          errors: [{ name: 'Error', constructor: 'Function<LabDeviationError>' }],
        }),
      ),
    ).toBe('fail');
  });

  test('a run-time skip is a skip with its reason; so are skip and todo modes', () => {
    expect(outcomeOf(testCase({ state: 'skipped', note: 'no peering in targets' }))).toEqual({
      verdict: 'skip',
      message: 'no peering in targets',
    });
    expect(outcomeOf(testCase({ state: 'skipped' }, 'skip')).verdict).toBe('skip');
    expect(outcomeOf(testCase({ state: 'skipped' }, 'todo')).message).toMatch(/todo/);
  });

  test('a test skipped because a hook above it threw takes the hook error, not a silent skip', () => {
    const module = parent();
    const suite = parent([cannotTell], 'E · endpoints', module);
    const outcome = outcomeOf(testCase({ state: 'skipped' }, 'skip', parent([], 'inner', suite)));
    expect(outcome.verdict).toBe('error');
    expect(outcome.message).toMatch(
      /^not run: a hook of "E · endpoints" threw — CannotTellError: could not read route tables/,
    );
  });

  test('a test that never finished (interrupted run) is an error', () => {
    expect(verdictOf(testCase({ state: 'pending' }))).toBe('error');
  });
});

describe('outcome messages', () => {
  test('a failure keeps the assertion words and the details say expected vs seen, without colours or vitest frames', () => {
    const outcome = outcomeOf(testCase({ state: 'failed', errors: [assertion] }));
    expect(outcome.message).toBe(assertion.message);
    expect(outcome.errorType).toBe('AssertionError');
    expect(outcome.details).toContain('Expected: false\nSeen:     true');
    expect(outcome.details).toContain('at /work/suites/network.test.ts:8:46');
    expect(outcome.details).not.toContain('node_modules');
    expect(outcome.details).not.toContain('\u001b[');
  });

  test('an error names its class and the cause that says why', () => {
    expect(messageOf(cannotTell)).toBe(
      'CannotTellError: could not read route tables — caused by AccessDenied: User is not authorized to perform ec2:DescribeRouteTables',
    );
  });
});
