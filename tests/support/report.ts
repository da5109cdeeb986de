/**
 * Reporters for a test run. With NETLOOM_TEST_REPORT set to a directory (CI
 * does this), each suite also writes a JSON report there, `<suite>.json`, so
 * one count can cover the unit and the browser tests that `npm test` runs in turn.
 */
export function reporters(suite: string): { reporters: string[]; outputFile?: Record<string, string> } {
  const dir = process.env.NETLOOM_TEST_REPORT;
  return dir ? { reporters: ['default', 'json'], outputFile: { json: `${dir}/${suite}.json` } } : { reporters: ['default'] };
}
