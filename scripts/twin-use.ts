import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * Which AWS operations the product and its labs use, read from their
 * sources: the SDK v3 commands (and paginators) a file imports, and the AWS
 * CLI commands a script runs. twin/COVERAGE.md marks the operations the twin
 * serves that nothing here uses: surface no check, drift or lab needs.
 *
 * A static reading, so `npm run generate` needs no run: an import counts as a
 * use even when the call sits in a rarely taken branch — it errs toward
 * "used", never hides a use. The twin itself (it serves, it does not call),
 * and the project's own tests of it, are not users.
 */
export type OperationsInUse = ReadonlyMap<string, ReadonlySet<string>>;

/** Where checks, drifts and labs live (the suite, its helpers and probe, the CLI, the labs and drifts). */
const USERS = ['suites', 'helpers', 'probes', 'cli', 'lab'];
const SOURCE = /\.(ts|js|mjs|sh)$/;

/** SDK package and CLI names whose service is signed under another name. */
const SERVICE_OF: Record<string, string> = {
  'cloudwatch-logs': 'logs',
  s3api: 's3',
  'elastic-load-balancing-v2': 'elasticloadbalancing',
  elbv2: 'elasticloadbalancing',
  'route-53': 'route53',
};

export async function operationsInUse(root: string): Promise<OperationsInUse> {
  const used = new Map<string, Set<string>>();
  const add = (service: string, operation: string) => {
    const name = SERVICE_OF[service] ?? service;
    if (!used.has(name)) used.set(name, new Set());
    used.get(name)!.add(operation);
  };
  for (const dir of USERS) {
    for (const file of await sourcesUnder(join(root, dir))) {
      const text = await readFile(file, 'utf8');
      for (const [service, operation] of sdkOperations(text)) add(service, operation);
      if (file.endsWith('.sh'))
        for (const [service, operation] of cliOperations(text)) add(service, operation);
    }
  }
  return used;
}

/** `import { DescribeVpcsCommand, paginateDescribeSubnets } from '@aws-sdk/client-ec2'` → ec2 DescribeVpcs, DescribeSubnets. */
export function sdkOperations(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const imports = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*['"]@aws-sdk\/client-([a-z0-9-]+)['"]/g;
  for (const [, typeOnly, names, service] of text.matchAll(imports)) {
    if (typeOnly) continue;
    for (const entry of names!.split(',')) {
      const name = entry.trim().split(/\s+as\s+/)[0]!;
      if (name.startsWith('type ')) continue;
      const operation = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
      if (operation) out.push([service!, operation]);
    }
  }
  return out;
}

/** `aws ec2 create-vpc …` → ec2 CreateVpc. Which of these are operations at all is for the caller to check. */
export function cliOperations(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [, service, command] of text.matchAll(/\baws\s+([a-z0-9]+)\s+([a-z0-9]+(?:-[a-z0-9]+)*)/g)) {
    out.push([service!, command!.replace(/(?:^|-)([a-z0-9])/g, (_, c: string) => c.toUpperCase())]);
  }
  return out;
}

async function sourcesUnder(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return []; // a folder this layout does not have
  }
  return entries
    .filter((e) => e.isFile() && SOURCE.test(e.name) && !relative(dir, e.parentPath).includes('node_modules'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
