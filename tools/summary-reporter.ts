import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the plain closing line CI reads (`N passed, N failed, N skipped`), which Vitest's own summary
 * is not. Counts every test of every project.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      const tests = [...testModule.children.allTests()];
      // A file whose setup failed (beforeAll, import) fails as a whole: its tests never ran, so they
      // count as failed, not skipped.
      const setupFailed = testModule.state() === 'failed' && !tests.some((test) => test.result().state === 'failed');
      if (setupFailed && tests.length === 0) failed += 1;
      for (const test of tests) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed' || setupFailed) failed += 1;
        else skipped += 1;
      }
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
