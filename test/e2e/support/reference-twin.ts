import { clientsFor } from '../../../helpers/clients.ts';
import type { ResolvedTargets } from '../../../helpers/targets/index.ts';
import type { Credential } from '../../../twin/core/principal.ts';
import type { Operator } from '../../../twin/drifts/types.ts';
import { referenceLab } from '../../../twin/labs/reference/index.ts';
import { serve, type TwinServer } from '../../../twin/server.ts';
import { rootCredential } from '../../../twin/twin.ts';

/** The reference lab served for a test file, the runner's credentials, and an operator for drifts. */
export interface ReferenceTwin {
  server: TwinServer;
  runner: () => Credential;
  operator: (lab: ResolvedTargets) => Operator;
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
    runner: () => runner!,
    operator: (lab) => {
      const as = (c: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined }) =>
        clientsFor({
          region: lab.region,
          endpoint: server.endpoint,
          credentials: {
            accessKeyId: c.accessKeyId,
            secretAccessKey: c.secretAccessKey,
            ...(c.sessionToken && { sessionToken: c.sessionToken }),
          },
        });
      return Object.assign((accountKey: string) => as(rootCredential(lab.accountIds[accountKey]!)), {
        runner: () => as(runner!),
      });
    },
  };
}
