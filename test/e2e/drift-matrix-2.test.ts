import { join } from 'node:path';
import { describeDriftMatrix } from './support/drift-matrix.ts';
import { serveReferenceLab } from './support/reference-twin.ts';
import { ROOT } from './support/validate.ts';

/** Every drift of the catalogue, on the reference lab: part 2 of six files sharing it, so they run side by side. */
describeDriftMatrix('the drift matrix on the reference lab (part 2 of 6)', {
  targetsFile: join(ROOT, 'targets.example.json'),
  serve: serveReferenceLab,
  part: [2, 6],
});
