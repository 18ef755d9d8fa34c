import { join } from 'node:path';
import { describeDriftMatrix } from './support/drift-matrix.ts';
import { serveReferenceLab } from './support/reference-twin.ts';
import { ROOT } from './support/validate.ts';

describeDriftMatrix('scratch: suite-live drifts on the reference lab', {
  targetsFile: join(ROOT, 'targets.example.json'),
  serve: serveReferenceLab,
  only: (process.env.SCRATCH_DRIFTS ?? 'app-writer-refused-putitem').split(','),
});
