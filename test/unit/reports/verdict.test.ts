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

describe('which class an error is', () => {
  test.for([
    ['a name a test could not tell from its class', { name: 'BlockedError', message: 'x' }, 'BlockedError'],
    ['a cause vitest prefixed', { name: 'Caused by: AccessDenied' }, 'AccessDenied'],
    [
      'a plain Error with its constructor recorded',
      { name: 'Error', constructor: 'Function<Error>' },
      'Error',
    ],
    ['no name but a constructor', { constructor: 'Function<CannotTellError>' }, 'CannotTellError'],
    [
      'a name that is not text, with a constructor',
      { name: 42, constructor: 'Function<TypeError>' },
      'TypeError',
    ],
    ['an Object constructor is no class', { name: 'Error', constructor: 'Function<Object>' }, 'Error'],
    ['an Object constructor with no name', { constructor: 'Function<Object>' }, 'Error'],
    [
      'a constructor that is not vitest\'s "Function<X>"',
      { name: 'Error', constructor: 'class X {}' },
      'Error',
    ],
    ['text before "Function<X>"', { constructor: 'aFunction<X>' }, 'Error'],
    ['text after "Function<X>"', { constructor: 'Function<X>b' }, 'Error'],
    [
      'a name set on the instance outranks its constructor',
      { name: 'TimeoutError', constructor: 'Function<Error>' },
      'TimeoutError',
    ],
    ['no name and a constructor that is the real function', { constructor: Object }, 'Error'],
    ['nothing at all', {}, 'Error'],
    [
      'a constructor that is the real function, not text',
      { name: 'RangeError', constructor: Object },
      'RangeError',
    ],
  ] as const)('%s → %s', ([, error, name], { expect }) => {
    expect(errorClassOf(error as ErrorLike)).toBe(name);
  });

  test('a BlockedError (a CannotTellError: an earlier stage failed) is an error, never a failure', ({
    expect,
  }) => {
    const blocked = { name: 'BlockedError', message: 'no receipt: see D7' };
    expect(outcomeOf(testCase({ state: 'failed', errors: [blocked] }))).toMatchObject({
      verdict: 'error',
      errorType: 'BlockedError',
      message: 'BlockedError: no receipt: see D7',
    });
  });
});

describe('the words of a verdict', () => {
  test('a failure among errors is the primary one, whatever its place; every error is in the details', ({
    expect,
  }) => {
    const outcome = outcomeOf(testCase({ state: 'failed', errors: [typeError, deviation, cannotTell] }));
    expect(outcome).toMatchObject({
      verdict: 'fail',
      errorType: 'LabDeviationError',
      message: 'vpc-0abc not found',
    });
    expect(outcome.details).toBe(
      [
        "TypeError: Cannot read properties of undefined (reading 'VpcId')",
        'LabDeviationError: vpc-0abc not found',
        'CannotTellError: could not read route tables\nCaused by AccessDenied: User is not authorized to perform ec2:DescribeRouteTables',
      ].join('\n\n'),
    );
  });

  test('among errors only, the first one speaks', ({ expect }) => {
    expect(outcomeOf(testCase({ state: 'failed', errors: [timeout, cannotTell] }))).toMatchObject({
      verdict: 'error',
      errorType: 'Error',
      message: 'Error: Test timed out in 60000ms.',
    });
  });

  test('a failed test with no error recorded is an error that says so', ({ expect }) => {
    expect(outcomeOf(testCase({ state: 'failed' }))).toEqual({
      verdict: 'error',
      message: 'failed without an error (vitest recorded none)',
    });
    expect(outcomeOf(testCase({ state: 'failed', errors: [] })).verdict).toBe('error');
  });

  test('a check interrupted before it finished says so', ({ expect }) => {
    expect(outcomeOf(testCase({ state: 'pending' }))).toEqual({
      verdict: 'error',
      message: 'did not finish: the run ended before this check completed',
    });
  });

  test('skips say why: the run-time reason, a todo, or skipped in code / filtered out', ({ expect }) => {
    expect(outcomeOf(testCase({ state: 'skipped' }, 'todo'))).toEqual({
      verdict: 'skip',
      message: 'todo: not written yet',
    });
    expect(outcomeOf(testCase({ state: 'skipped' }, 'skip'))).toEqual({
      verdict: 'skip',
      message: 'not run (skipped in code or filtered out)',
    });
    expect(outcomeOf(testCase({ state: 'skipped', note: 'no peering in targets' }, 'todo')).message).toBe(
      'no peering in targets',
    );
  });

  test('a run-time skip keeps its reason even under a suite whose hook threw', ({ expect }) => {
    const suite = parent([cannotTell], 'E · endpoints', parent());
    expect(outcomeOf(testCase({ state: 'skipped', note: 'no probe in targets' }, 'run', suite))).toEqual({
      verdict: 'skip',
      message: 'no probe in targets',
    });
  });

  test('a failing module-level hook is named by the file; a failing assertion in a hook makes the skipped test fail', ({
    expect,
  }) => {
    const module = parent([assertion]);
    expect(outcomeOf(testCase({ state: 'skipped' }, 'run', module))).toMatchObject({
      verdict: 'fail',
      errorType: 'AssertionError',
      message: `not run: a hook of "suites/network.test.ts" threw — ${assertion.message}`,
    });
  });

  test('a hook holder without a name or module id is still named', ({ expect }) => {
    const anonymousModule: ParentLike = { type: 'module', errors: () => [typeError] };
    const anonymousSuite: ParentLike = { type: 'suite', errors: () => [typeError], parent: parent() };
    expect(outcomeOf(testCase({ state: 'skipped' }, 'run', anonymousModule)).message).toMatch(
      /^not run: a hook of "module" threw — TypeError/,
    );
    expect(outcomeOf(testCase({ state: 'skipped' }, 'run', anonymousSuite)).message).toMatch(
      /^not run: a hook of "suite" threw — TypeError/,
    );
  });

  test('an error without a message is named by its class', ({ expect }) => {
    expect(messageOf({ name: 'LabDeviationError' })).toBe('LabDeviationError');
    expect(messageOf({ name: 'TypeError', message: '  \u001b[31m' })).toBe('TypeError: TypeError');
  });

  test('messages are trimmed and uncoloured; a message that is not text is shown as JSON', ({ expect }) => {
    expect(messageOf({ name: 'AssertionError', message: '  \u001b[31mred\u001b[39m \n' })).toBe('red');
    expect(messageOf({ name: 'CannotTellError', message: { code: 'Throttling' } })).toBe(
      'CannotTellError: {"code":"Throttling"}',
    );
  });

  test('a chain of causes is followed five deep at most, and only through objects', ({ expect }) => {
    let chain: ErrorLike = { name: 'Cause7', message: 'seven' };
    for (let i = 6; i >= 1; i--) chain = { name: `Cause${i}`, message: `m${i}`, cause: chain };
    expect(messageOf({ name: 'CannotTellError', message: 'top', cause: chain })).toBe(
      'CannotTellError: top — caused by Cause1: m1 — caused by Cause2: m2 — caused by Cause3: m3 — caused by Cause4: m4 — caused by Cause5: m5',
    );
    expect(messageOf({ name: 'CannotTellError', message: 'top', cause: 'just words' })).toBe(
      'CannotTellError: top',
    );
  });

  test('details: expected and seen when either is known, the diff, project frames only (eight at most), causes', ({
    expect,
  }) => {
    const frames = Array.from({ length: 10 }, (_, i) => `    at check${i} (/work/suites/a.test.ts:${i}:1)`);
    const error: ErrorLike = {
      name: 'AssertionError',
      message: 'm',
      actual: '3',
      diff: '- 2\n+ 3',
      stack: [
        'AssertionError: m at 10.0.0.1 is not a frame',
        '  not a frame',
        '    at x (/work/node_modules/vitest/a.js:1:1)',
        '    at y (node:internal/process:1:1)',
        '    at <anonymous>',
        ...frames,
      ].join('\n'),
      cause: { name: 'TypeError', message: 'inner' },
    };
    const details = outcomeOf(testCase({ state: 'failed', errors: [error] })).details;
    expect(details).toBe(
      [
        'AssertionError: m',
        'Expected: ',
        'Seen:     3',
        '',
        '- 2\n+ 3',
        '',
        ...frames.slice(0, 8).map((f) => f.trim()),
        'Caused by TypeError: inner',
      ].join('\n'),
    );
  });

  test('details leave out what is absent: no expected/seen, an empty diff, a stack that is not text', ({
    expect,
  }) => {
    const error: ErrorLike = { name: 'TypeError', message: 'bad', diff: '', stack: 42 };
    expect(outcomeOf(testCase({ state: 'failed', errors: [error] })).details).toBe('TypeError: bad');
    const onlyExpected: ErrorLike = { name: 'AssertionError', message: 'm', expected: 2 };
    expect(outcomeOf(testCase({ state: 'failed', errors: [onlyExpected] })).details).toBe(
      'AssertionError: m\nExpected: 2\nSeen:     ',
    );
  });

  test('a value JSON cannot render is shown as text, not crashed on', ({ expect }) => {
    const error: ErrorLike = { name: 'AssertionError', message: 'm', actual: Symbol('seen') };
    expect(outcomeOf(testCase({ state: 'failed', errors: [error] })).details).toBe(
      'AssertionError: m\nExpected: \nSeen:     Symbol(seen)',
    );
  });
});
