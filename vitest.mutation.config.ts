import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs for each mutant of helpers/, common/ and reports/verdict.ts
 * (`npm run mutation`): the unit tests of those files only, so a mutant costs
 * milliseconds, not a twin. Stryker switches mutants inside modules it has
 * already loaded, so test files need no fresh module graph per run
 * (`isolate: false`): re-importing the SDK for every mutant cost seconds each.
 */
export default defineConfig({
  test: {
    include: [
      'test/unit/helpers/**/*.test.ts',
      'test/unit/common/**/*.test.ts',
      'test/unit/reports/verdict.test.ts',
    ],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    pool: 'threads',
    isolate: false,
  },
});
