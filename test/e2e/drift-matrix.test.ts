import { join } from 'node:path';
import { describeDriftMatrix } from './support/drift-matrix.ts';
import { serveReferenceLab } from './support/reference-twin.ts';
import { ROOT } from './support/validate.ts';

/** Every drift of the catalogue, on the reference lab. */
describeDriftMatrix('the drift matrix on the reference lab', {
  targetsFile: join(ROOT, 'targets.example.json'),
  serve: serveReferenceLab,
});
