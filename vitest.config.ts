import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Four projects: `conformance` is the product (the checklist, run against
 * an account or the twin by `npm run validate`); the other three are the
 * project's own tests, run by `npm test`.
 */
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
/**
 * The project's own tests keep their receipt ledger apart from the machine's
 * (helpers/sweep.ts): every twin they start names its receipt bucket alike,
 * so a `meshcheck cleanup` under test would otherwise sweep what other test
 * runs, or a person's own runs on this machine, recorded. The runs the e2e
 * tests start inherit it.
 */
const selfTestEnv = {
  ...env,
  MESHCHECK_LEDGER_DIR: join(tmpdir(), `meshcheck-selftest-ledger-${process.pid}`),
};

/**
 * The files that take longest start first. Vitest orders by the durations
 * it cached last time, and without a cache (a fresh clone, CI) by size,
 * which would start the drift matrix, a few lines long, last of all: the
 * end-to-end files (a twin and whole runs each, minutes) go first, the
 * twin-wire files that drive the AWS CLI next, the rest after them.
 */
const LONGEST = [
  'test/e2e/drift-matrix-',
  // Then the e2e files by their time on a fresh clone (fc9: 152 s down to 50 s), so the longest do not
  // start last; vitest's own order (by size, without a cache) started faults, 99 s, at 380 s of 517.
  // fc3 (six workers): validate 214 s, second lab 213, receipts 189, faults 158, run-end 95, interrupt 77.
  'test/e2e/validate.test.ts',
  'test/e2e/second-lab.test.ts',
  'test/e2e/receipts.test.ts',
  'test/e2e/faults.test.ts',
  'test/e2e/run-end.test.ts',
  'test/e2e/interrupt.test.ts',
  'test/e2e/early-probe.test.ts',
  'test/e2e/cli-lab.test.ts',
  'test/e2e/packed-install.test.ts',
  'test/e2e/aws-options.test.ts',
  'test/e2e/',
  'test/twin-wire/ec2/network-cli.test.ts',
  'test/twin-wire/',
];
/** Files that replace a module with vi.mock: they need a worker of their own (project `isolated`). */
export const MOCKS_MODULES = [
  'test/twin-wire/sqs/kms-errors.test.ts',
  'test/unit/twin/pipeline/delivery.test.ts',
  'test/unit/twin/pipeline/poller.test.ts',
  'test/unit/twin/sns/publish.test.ts',
  'test/unit/twin/sqs/authorization.test.ts',
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST.findIndex((name) => f.moduleId.includes(name));
      return i < 0 ? LONGEST.length : i;
    };
    // Array.prototype.sort is stable: within a rank, vitest's own order stands.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    env,
    // Vitest's default is one worker fewer than the cores: on two cores, one test file at a time,
    // while most of an e2e file's time is spent waiting on a twin or a nested run. With three, a
    // fresh-clone npm test kept the two cores 65 % busy (1,053 s of CPU in 800 s); with four and the
    // drift matrix in four files, 73 % (1,091 s in 744 s, fc2: the matrix's waits on bounds and
    // invocations leave cores idle). Six, with the matrix in six files, fill them. (validate passes its
    // own maxWorkers for the conformance project.)
    maxWorkers: 6,
    sequence: { sequencer: LongestFirst },
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'reports/out/self-test.json' }]]
      : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: MOCKS_MODULES,
          env: selfTestEnv,
          setupFiles: ['test/unit/setup.ts'],
          // The unit files share their workers: loading the SDK and the twin once per worker instead of once
          // per file takes the project from about 280 s to about 40 s on two cores. Files that replace a module
          // (vi.mock) run apart, below: in a shared worker the replacement would outlive its file.
          isolate: false,
        },
      },
      {
        test: {
          name: 'isolated',
          include: MOCKS_MODULES,
          env: selfTestEnv,
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'twin-wire',
          include: ['test/twin-wire/**/*.test.ts'],
          exclude: MOCKS_MODULES,
          env: selfTestEnv,
          testTimeout: 30_000,
          // As the unit files: a worker loads the SDK and the twin once for all the files it runs, not
          // once per file (each file still starts its own twin); the same setup ends what a file changed.
          // The project went from about 150 s of test-file time to 35 s.
          setupFiles: ['test/unit/setup.ts'],
          isolate: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          env: selfTestEnv,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'conformance',
          include: ['suites/**/*.test.ts'],
          env,
          globalSetup: ['suites/setup/global.ts'],
          // Profiles are tags: `gate` runs everything but `delivery`. Timeouts follow what each kind waits for.
          tags: [
            { name: 'config', description: 'reads configuration', timeout: 60_000 },
            {
              name: 'live',
              description: 'probes behaviour in the lab (pings, probe calls)',
              timeout: 180_000,
            },
            {
              name: 'delivery',
              description: 'waits for delivered evidence (CloudTrail)',
              timeout: 20 * 60_000,
            },
            { name: 'creates', description: 'creates run-scoped resources and removes them' },
          ],
          setupFiles: ['suites/setup/worker.ts'],
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
