import { clientsFor } from '../../../helpers/clients.ts';
import type { ResolvedTargets } from '../../../helpers/targets/index.ts';
import type { Operator } from '../../../lab/drifts/types.ts';
import { referenceLab } from '../../../lab/reference/index.ts';
import type { Credential } from '../../../twin/core/principal.ts';
import { pipelineStats } from '../../../twin/pipeline/stats.ts';
import { serve, type TwinServer } from '../../../twin/server.ts';
import { rootCredential } from '../../../twin/twin.ts';
import type { ServedLab } from './drift-matrix.ts';

/** The reference lab served for a test file, the runner's credentials, and an operator for drifts. */
export interface ReferenceTwin extends ServedLab {
  server: TwinServer;
}

export async function serveReferenceLab(): Promise<ReferenceTwin> {
  let runner: Credential | undefined;
  const server = await serve({
    build: async (origin) => {
      const lab = await referenceLab({ origin });
      runner = lab.runner;
      return lab.twin;
    },
  });
  return {
    server,
    endpoint: server.endpoint,
    runner: () => runner!,
    operator: (lab) => operatorOf(lab, server.endpoint, () => runner!),
    reset: () => server.reset(),
    diagnose: () => pipelineStats(server.twin),
    close: () => server.close(),
  };
}

type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined };

/** Who changes a lab for a drift: each account's root, and the runner (for key policies only it administers). */
export function operatorOf(lab: ResolvedTargets, endpoint: string, runner: () => Keys): Operator {
  const as = (c: Keys) =>
    clientsFor({
      region: lab.region,
      endpoint,
      credentials: {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        ...(c.sessionToken && { sessionToken: c.sessionToken }),
      },
    });
  return Object.assign((accountKey: string) => as(rootCredential(lab.accountIds[accountKey]!)), {
    runner: () => as(runner()),
  });
}
