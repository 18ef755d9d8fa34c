import { AwsError } from '../core/errors.ts';
import { servicePath } from '../network/service-path.ts';
import { protocols } from '../protocols/index.ts';
import { serviceBySigningName } from '../services/registry.ts';
import { untilClock } from '../state/clock.ts';
import { makeContext } from './context.ts';
import { authorizeByDefinition, dispatchTo } from './dispatch.ts';
import type { Exchange } from './exchange.ts';
import { serverError, throttlingError } from './faults.ts';
import { authErrors, findCredential, sessionProblem } from './principals.ts';
import { readAuthorization, verifySignature } from './sigv4.ts';

/**
 * The request pipeline, as one readable list (LocalStack's handler chain):
 * each step reads the exchange, adds to it, or throws an AwsError that the
 * service's protocol renders.
 */
export type Step = (ex: Exchange) => void | Promise<void>;

export const chain: readonly Step[] = [
  routeByCredentialScope,
  pickProtocol,
  verifySigV4AndFindPrincipal,
  parseRequest,
  // A caller with no network path gets nothing back, not even a fault: holding comes first.
  holdWhenUnreachable,
  injectFaults,
  simulateLatency,
  buildContext,
  authorize,
  dispatch,
];

function routeByCredentialScope(ex: Exchange): void {
  const signed = readAuthorization(ex.req);
  if (!signed) throw authErrors('awsJson1_1', 'unknown').missing();
  const service = serviceBySigningName(signed.service);
  if (!service)
    throw new AwsError('UnknownService', `The twin does not serve ${signed.service}`, { status: 400 });
  ex.signed = signed;
  ex.service = service;
}

function pickProtocol(ex: Exchange): void {
  const service = ex.service!;
  const candidates = [service.protocol, ...(service.alsoSpeaks ?? [])];
  const name = candidates.find((p) => protocols[p].recognizes(ex.req)) ?? service.protocol;
  ex.protocol = protocols[name];
}

function verifySigV4AndFindPrincipal(ex: Exchange): void {
  const service = ex.service!;
  const errors = authErrors(service.protocol, service.signingName);
  const credential = findCredential(ex.twin, ex.signed!.accessKeyId);
  if (!credential) throw errors.unknownKey();
  if (!verifySignature(ex.req, ex.signed!, credential.secretAccessKey)) throw errors.badSignature();
  const problem = sessionProblem(ex.twin, credential, ex.req.headers['x-amz-security-token']);
  if (problem === 'bad-token') throw errors.unknownKey();
  if (problem === 'expired') throw errors.expired();
  ex.credential = credential;
}

async function parseRequest(ex: Exchange): Promise<void> {
  const { operation, input } = await ex.protocol!.parse(ex.req, ex.service!);
  ex.operation = operation;
  ex.input = input;
}

function injectFaults(ex: Exchange): void {
  const attempt = Number(/attempt=(\d+)/.exec(ex.req.headers['amz-sdk-request'] ?? '')?.[1] ?? 1);
  const fault = ex.twin.faults.pick({
    service: ex.service!.signingName,
    operation: ex.operation!,
    invocationId: ex.req.headers['amz-sdk-invocation-id'],
    attempt,
  });
  if (fault === 'throttle') throw throttlingError(ex.service!.signingName);
  if (fault === '5xx') throw serverError();
  if (fault === 'latency') ex.faultLatencyMs = ex.twin.faults.spec?.latencyMs ?? 0;
}

async function simulateLatency(ex: Exchange): Promise<void> {
  const [min, max] = ex.twin.profile.apiLatencyMs;
  const ms = (min + Math.random() * (max - min)) * ex.twin.profile.scale + (ex.faultLatencyMs ?? 0);
  if (ms > 0) await untilClock(ex.twin.clock, ex.twin.clock.now() + ms, ex.signal);
}

/**
 * A caller inside a VPC with no route to the service (no endpoint, no NAT)
 * gets no answer at all: its connection hangs until its own timeout, as in
 * a VPC (aws-fidelity.md, Lambda).
 */
async function holdWhenUnreachable(ex: Exchange): Promise<void> {
  const position = ex.credential!.position;
  if (!position) return;
  const path = servicePath(ex.twin, position, ex.service!.signingName, ex.signed!.region);
  if (path.reachable) return;
  await new Promise<never>((_, reject) =>
    ex.signal.addEventListener('abort', () => reject(ex.signal.reason), { once: true }),
  );
}

function buildContext(ex: Exchange): void {
  ex.ctx = makeContext({
    twin: ex.twin,
    service: ex.service!,
    operation: ex.operation!,
    region: ex.signed!.region,
    credential: ex.credential!,
    requestId: ex.requestId,
    sourceIp: ex.sourceIp,
    userAgent: ex.req.headers['user-agent'] ?? '',
    origin: ex.origin,
    headers: ex.req.headers,
  });
}

function authorize(ex: Exchange): void {
  authorizeByDefinition(ex.ctx!, ex.input!);
}

async function dispatch(ex: Exchange): Promise<void> {
  ex.output = await dispatchTo(ex.ctx!, ex.input!);
}
