import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { builderFor } from '../../../../lab/builder.ts';
import type { CallerPosition } from '../../../../twin/core/principal.ts';
import { runtimeOf } from '../../../../twin/runtime/index.ts';
import { ManualClock } from '../../../../twin/state/clock.ts';
import { Twin } from '../../../../twin/twin.ts';
import { specOf } from '../runtime/fixtures.ts';
import { buildVpc, positionIn, type TestVpc } from '../runtime/vpc.ts';

/**
 * What code running in the VPC notices: a function's getaddrinfo answers
 * from the private zone built through Route 53's API (as a lab builder
 * would), and a function outside any VPC gets ENOTFOUND for the same name.
 */
const twin = new Twin({ clock: new ManualClock(), origin: 'http://127.0.0.1:9' });
let vpc: TestVpc;
afterAll(() => twin.dispose());
beforeAll(async () => {
  vpc = await buildVpc(twin);
  const b = builderFor(twin, '123456789012', 'us-east-1');
  await b.ec2('ModifyVpcAttribute', { VpcId: vpc.vpcId, EnableDnsHostnames: { Value: true } });
  const zone = await b.call<{ HostedZone: { Id: string } }>('route53', 'CreateHostedZone', {
    Name: 'svc.internal',
    CallerReference: 'function-dns',
    VPC: { VPCId: vpc.vpcId, VPCRegion: 'us-east-1' },
  });
  await b.call('route53', 'ChangeResourceRecordSets', {
    HostedZoneId: zone.HostedZone.Id,
    ChangeBatch: {
      Changes: [
        {
          Action: 'CREATE',
          ResourceRecordSet: {
            Name: 'api.svc.internal',
            Type: 'A',
            TTL: 60,
            ResourceRecords: [{ Value: '10.90.1.50' }],
          },
        },
      ],
    },
  });
});

const LOOKUP = {
  'index.mjs': `
import dns from 'node:dns';
export const handler = async (e) =>
  dns.promises.lookup(e.host, { all: true }).then((a) => ({ ok: true, addresses: a.map((x) => x.address) }), (err) => ({ ok: false, code: err.code }));
`,
};

let n = 0;
async function lookupFrom(position: CallerPosition | undefined, host: string) {
  const spec = specOf(twin, LOOKUP, {
    timeoutSeconds: 5,
    ...(position && { position }),
    functionName: `dns-${++n}`,
  });
  const result = await runtimeOf(twin).run(spec, {
    requestId: `dns-${n}`,
    payload: JSON.stringify({ host }),
  });
  return JSON.parse(result.payload.toString());
}

describe('a function resolving a private zone name', () => {
  test('inside the associated VPC it gets the record; outside any VPC, ENOTFOUND', async () => {
    expect(await lookupFrom(positionIn(twin, vpc, vpc.isolatedSubnet), 'api.svc.internal')).toEqual({
      ok: true,
      addresses: ['10.90.1.50'],
    });
    expect(await lookupFrom(positionIn(twin, vpc, vpc.isolatedSubnet), 'web.svc.internal')).toEqual({
      ok: false,
      code: 'ENOTFOUND',
    });
    expect(await lookupFrom(undefined, 'api.svc.internal')).toEqual({ ok: false, code: 'ENOTFOUND' });
  });
});
