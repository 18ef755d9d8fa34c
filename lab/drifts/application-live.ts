import { DescribeRouteTablesCommand, ModifyVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import type { ResolvedTargets } from '../../helpers/targets/index.ts';
import { serviceRow } from '../../helpers/targets/rows.ts';
import { ec2, endpointOf } from './endpoints.ts';
import type { Break, Drift, Operator } from './types.ts';

/**
 * Drifts of the application at work (S10–S13): the writer refused its
 * write, and DynamoDB's gateway endpoint taken off a route table (the
 * writer's bucket variable pointed elsewhere is application-config.ts's
 * app-writer-environment-changed, which breaks S10 too). When the writer fails, S10
 * fails and S11/S12 are errors blocked by it ("— see S10"), which the
 * drift matrix accepts. What a change also breaks elsewhere is asked of
 * AWS (where the writer runs), never assumed from the reference lab.
 */

const writerOf = (lab: ResolvedTargets) => lab.application?.writer;
const roleName = (ref: string) => ref.split('/').at(-1)!;

/** The writer's configuration as Lambda reports it (role, subnets, environment). */
async function writerConfig(lab: ResolvedTargets, op: Operator) {
  return op('lab').lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: writerOf(lab)!.function }),
  );
}

/** The route tables of subnets, by subnet id (the main table where none is associated is not modelled: labs associate). */
async function routeTablesOf(lab: ResolvedTargets, op: Operator, vpc: string, subnetIds: string[]) {
  const { RouteTables } = await ec2(op, lab, vpc).send(
    new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: subnetIds }] }),
  );
  return new Set((RouteTables ?? []).map((t) => t.RouteTableId!));
}

/** S14 on the writer's role, where its matrix says it must be allowed PutItem on the writer's table. */
function writerRoleMustPut(lab: ResolvedTargets, role: string): Break[] {
  const writer = writerOf(lab)!;
  const matrix = lab.application?.roles.find((r) => roleName(r.role) === role);
  const needs = matrix?.allow.some(
    (e) => e.actions.includes('dynamodb:PutItem') && e.resources.includes(`table:${writer.table}`),
  );
  return needs ? [{ id: 'S14', row: matrix!.role }] : [];
}

const writerRefusedPutItem: Drift = {
  id: 'app-writer-refused-putitem',
  says: "the writer's role is refused dynamodb:PutItem on its table (an inline deny an operator added)",
  appliesTo: (lab) => Boolean(writerOf(lab)),
  async breaks(lab, op) {
    const { Role } = await writerConfig(lab, op);
    return [{ id: 'S10', row: writerOf(lab)!.function }, ...writerRoleMustPut(lab, roleName(Role!))];
  },
  async apply(lab, op) {
    const { Role } = await writerConfig(lab, op);
    const table = `arn:aws:dynamodb:${lab.region}:${lab.accountIds.lab}:table/${writerOf(lab)!.table}`;
    await op('lab').iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName(Role!),
        PolicyName: 'drift-no-putitem',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: 'dynamodb:PutItem', Resource: table }],
        }),
      }),
    );
  },
};

/** The first placement where DynamoDB must answer, in a VPC whose DynamoDB gateway endpoint targets name. */
function dynamodbPlacement(lab: ResolvedTargets) {
  const rows = lab.application?.dynamodb?.placements ?? [];
  const probes = lab.endpoints?.probe?.placements ?? [];
  for (const row of rows.filter((r) => r.expect === 'ok')) {
    const p = probes.find((x) => x.name === row.placement);
    if (p && lab.endpoints?.vpcs.some((v) => v.vpc === p.vpc && v.gateway.includes('dynamodb'))) return p;
  }
  return undefined;
}

/**
 * What stops when a VPC's route tables lose DynamoDB: the S13 rows of placements there that must reach
 * it, and the writer (S10) when it runs in one of those subnets and writes to DynamoDB.
 */
export async function dynamodbCutBreaks(
  lab: ResolvedTargets,
  op: Operator,
  vpc: string,
  routeTables: Set<string>,
): Promise<Break[]> {
  const cut = async (subnetIds: string[]) =>
    [...(await routeTablesOf(lab, op, vpc, subnetIds))].some((t) => routeTables.has(t));
  const breaks: Break[] = [];
  for (const row of lab.application?.dynamodb?.placements ?? []) {
    const p = lab.endpoints?.probe?.placements.find((x) => x.name === row.placement);
    if (row.expect === 'ok' && p?.vpc === vpc && (await cut(p.subnets.map((s) => lab.ids.subnet[s]!))))
      breaks.push({ id: 'S13', row: row.placement });
  }
  const writer = writerOf(lab);
  if (writer) {
    const { VpcConfig } = await writerConfig(lab, op);
    if (VpcConfig?.VpcId === lab.ids.vpc[vpc] && (await cut(VpcConfig?.SubnetIds ?? [])))
      breaks.push({ id: 'S10', row: writer.function });
  }
  return breaks;
}

const dynamodbGatewayOffRouteTable: Drift = {
  id: 'app-dynamodb-gateway-off-route-table',
  says: 'the DynamoDB gateway endpoint is taken off the route table of a placement that must reach DynamoDB',
  appliesTo: (lab) => Boolean(dynamodbPlacement(lab)),
  async breaks(lab, op) {
    const p = dynamodbPlacement(lab)!;
    const table = await routeTablesOf(lab, op, p.vpc, [lab.ids.subnet[p.subnets[0]!]!]);
    return [
      { id: 'E1', row: serviceRow(p.vpc, 'dynamodb') },
      ...(await dynamodbCutBreaks(lab, op, p.vpc, table)),
    ];
  },
  async apply(lab, op) {
    const p = dynamodbPlacement(lab)!;
    const [table] = await routeTablesOf(lab, op, p.vpc, [lab.ids.subnet[p.subnets[0]!]!]);
    const endpoint = await endpointOf(lab, op, p.vpc, 'dynamodb');
    await ec2(op, lab, p.vpc).send(
      new ModifyVpcEndpointCommand({ VpcEndpointId: endpoint.VpcEndpointId, RemoveRouteTableIds: [table!] }),
    );
  },
};

/**
 * A handler that answers as a healthy writer does and writes nothing, in the writer's own runtime and
 * handler name (`module.function`): Node.js as CommonJS `module.js`, Python as `module.py`.
 */
function stubOf(runtime: string, handler: string): Uint8Array {
  const [module, fn] = [
    handler.slice(0, handler.lastIndexOf('.')),
    handler.slice(handler.lastIndexOf('.') + 1),
  ];
  if (runtime.startsWith('python'))
    return zipSync({
      [`${module}.py`]: strToU8(`def ${fn}(event, context):\n    return {"statusCode": 200}\n`),
    });
  return zipSync({ [`${module}.js`]: strToU8(`exports.${fn} = async () => ({ statusCode: 200 });\n`) });
}

const writerWritesNothing: Drift = {
  id: 'app-writer-code-writes-nothing',
  says: "a deploy replaces the writer's code with a handler that answers 200 and writes nothing",
  appliesTo: (lab) => Boolean(writerOf(lab)),
  async breaks(lab) {
    // S10 still passes: the invocation succeeds and logs its REPORT line. Only the writes are missing.
    const fn = writerOf(lab)!.function;
    return [
      { id: 'S11', row: fn },
      { id: 'S12', row: fn },
    ];
  },
  async apply(lab, op) {
    const { Runtime, Handler } = await writerConfig(lab, op);
    await op('lab').lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: writerOf(lab)!.function,
        ZipFile: stubOf(Runtime ?? 'nodejs22.x', Handler ?? 'index.handler'),
      }),
    );
  },
};

export const applicationLiveDrifts: Drift[] = [
  writerWritesNothing,
  writerRefusedPutItem,
  dynamodbGatewayOffRouteTable,
];
