import type { FaultSpec } from '../gateway/faults.ts';
import type { WireRequest, WireResponse } from '../protocols/wire.ts';
import type { TwinServer } from '../server.ts';
import { type ProfileName, profileNamed } from '../state/profile.ts';

/**
 * The twin's own control surface, under `/_twin/`. It steers the simulation
 * (faults, latency profile, back to the seeded lab) and never changes the
 * lab itself: drift goes through the public AWS API only.
 */
export async function handleControl(server: TwinServer, req: WireRequest): Promise<WireResponse> {
  const json = (status: number, body: unknown): WireResponse => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const route = `${req.method} ${req.path}`;
  const body = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
  switch (route) {
    case 'GET /_twin/health':
      return json(200, { ok: true, accounts: server.twin.accounts, profile: server.twin.profile });
    case 'GET /_twin/state':
      // What the world holds beside the public API's own views: models, traffic, pipeline counters, runtime.
      return json(200, server.twin.describe());
    case 'POST /_twin/reset':
      await server.reset();
      return json(200, { ok: true });
    case 'PUT /_twin/faults':
      server.twin.faults.set((body as FaultSpec).rate ? (body as FaultSpec) : undefined);
      return json(200, { ok: true });
    case 'GET /_twin/faults':
      return json(200, { spec: server.twin.faults.spec ?? null, injected: server.twin.faults.injected });
    case 'PUT /_twin/profile': {
      const { name, scale } = body as { name: ProfileName; scale?: number };
      server.twin.profile = profileNamed(name, scale);
      return json(200, { ok: true, profile: server.twin.profile });
    }
    default:
      return json(404, { error: `no control route ${route}` });
  }
}
