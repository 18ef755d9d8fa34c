import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { targetsSchema } from '../helpers/targets/schema.ts';
import { resultsFile } from '../reports/json.ts';
import { coverageMarkdown } from '../twin/coverage.ts';
import { checklistMarkdown, collectReferenceChecklist } from './checklist.ts';
import { operationsInUse } from './twin-use.ts';

/**
 * Regenerates the files derived from code: targets.schema.json and
 * results.schema.json (from their zod schemas), twin/COVERAGE.md (from the twin's dispatch tables)
 * and CHECKLIST.md (from the suite and the drift catalogue, scripts/checklist.ts).
 * CI regenerates and fails on any difference.
 */
export function targetsJsonSchema(): string {
  const schema = z.toJSONSchema(targetsSchema, { io: 'input', unrepresentable: 'any' });
  // A URN: the schema has no home on the web, and an $id that looked like a URL would invite fetching it.
  return `${JSON.stringify({ $id: 'urn:meshcheck:targets', ...schema, title: 'meshcheck targets' }, null, 2)}\n`;
}

/** results.json's schema, for dashboards that read it: generated from the zod schema readResults checks. */
export function resultsJsonSchema(): string {
  const schema = z.toJSONSchema(resultsFile, { io: 'output', unrepresentable: 'any' });
  return `${JSON.stringify({ $id: 'urn:meshcheck:results:1', ...schema, title: 'meshcheck results' }, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(new URL('../targets.schema.json', import.meta.url), targetsJsonSchema());
  await writeFile(new URL('../results.schema.json', import.meta.url), resultsJsonSchema());
  const root = new URL('..', import.meta.url).pathname;
  await writeFile(
    new URL('../twin/COVERAGE.md', import.meta.url),
    coverageMarkdown(await operationsInUse(root)),
  );
  await writeFile(
    new URL('../CHECKLIST.md', import.meta.url),
    checklistMarkdown(await collectReferenceChecklist()),
  );
  console.log('wrote targets.schema.json, results.schema.json, twin/COVERAGE.md and CHECKLIST.md');
}
