import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';

/**
 * Where function code is unpacked: one directory per code version (by its
 * SHA-256) under `.cache/lambda-tasks/<store>/`, the function's
 * LAMBDA_TASK_ROOT. Each store's folder carries a `{"type": "commonjs"}`
 * package.json so that, as in /var/task, a `.js` file is CommonJS unless
 * the bundle's own package.json says otherwise; bare imports that the
 * bundle does not carry resolve from the project's node_modules, much as
 * Lambda's Node.js runtimes provide the AWS SDK. Removed with the twin.
 *
 * The package.json is the store's own and written once, before any of its
 * functions starts: Node reads the nearest one to load a handler, and a
 * file that other twins (other processes) rewrote could be caught
 * half-written, failing a cold start with "Error parsing package.json".
 */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TASKS = join(PROJECT_ROOT, '.cache', 'lambda-tasks');
let stores = 0;

export class CodeStore {
  private readonly root: string;
  private readonly unpacked = new Map<string, string>();
  /** Its package.json is written. */
  private prepared = false;

  constructor() {
    stores += 1;
    this.root = join(TASKS, `twin-${process.pid}-${stores}`);
  }

  /** The task root of a code version, unpacked on first use. */
  taskRoot(code: { zip: Uint8Array; sha256: string }): string {
    const known = this.unpacked.get(code.sha256);
    if (known) return known;
    const dir = join(this.root, code.sha256.replace(/[^A-Za-z0-9]/g, '_'));
    if (!this.prepared) {
      mkdirSync(this.root, { recursive: true });
      writeFileSync(join(this.root, 'package.json'), '{ "type": "commonjs" }\n');
      this.prepared = true;
    }
    for (const [name, bytes] of Object.entries(unzipSync(code.zip))) {
      if (name.endsWith('/')) continue;
      const target = resolve(dir, name);
      // A zip entry may not climb out of the task root ("zip slip").
      if (!target.startsWith(dir + sep)) continue;
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, bytes);
    }
    mkdirSync(dir, { recursive: true });
    this.unpacked.set(code.sha256, dir);
    return dir;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
    this.unpacked.clear();
    this.prepared = false;
  }
}
