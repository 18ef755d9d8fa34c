import { AwsError, UnknownOperationError } from '../core/errors.ts';
import { servicePath } from '../network/service-path.ts';
import { protocols } from '../protocols/index.ts';
import { refusals } from '../protocols/refusals.ts';
import { operationInfo } from '../protocols/schemas.ts';
import { serviceBySigningName } from '../services/registry.ts';
import { untilClock } from '../state/clock.ts';
import { makeContext } from './context.ts';
import { authorizeByDefinition, dispatchTo } from './dispatch.ts';
import type { Exchange } from './exchange.ts';
import { serverError, throttlingError } from './faults.ts';
import { enforceLimits } from './limits.ts';
import { authErrors, findCredential, sessionProblem } from './principals.ts';
import { shapeProblem } from './shapes.ts';
import { readAuthorization, verifySignature } from './sigv4.ts';
import { guessWire } from './unserved.ts';

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
  refuseUnservedOperation,
  enforceInputLimits,
  // A caller with no network path gets nothing back, not even a fault: holding comes first.
  holdWhenUnreachable,
  injectFaults,
  simulateLatency,
  buildContext,
  authorize,
  dispatch,
];

/**
 * Until the service is known, errors are rendered in the protocol the
 * request's shape shows (see guessWire). A service the twin does not serve
 * is refused as that protocol refuses an unknown operation, naming both: a
 * 4xx the client does not retry, never the 500 it once was.
 */
function routeByCredentialScope(ex: Exchange): void {
  const signed = readAuthorization(ex.req);
  if (!signed) {
    useGuessedWire(ex, 'unknown');
    throw authErrors(ex.protocolName!, 'unknown').missing();
  }
  const service = serviceBySigningName(signed.service);
  if (!service) {
    const { operation } = useGuessedWire(ex, signed.service);
    throw refusals[ex.protocolName!].unknownOperation(
      `The twin does not serve the ${signed.service} service, so it cannot answer ${operation}`,
    );
  }
  ex.signed = signed;
  ex.service = service;
}

function useGuessedWire(ex: Exchange, signingName: string) {
  const guess = guessWire(ex.req, signingName);
  ex.service = guess.service;
  ex.protocolName = guess.protocol;
  ex.protocol = protocols[guess.protocol];
  return guess;
}

function pickProtocol(ex: Exchange): void {
  const service = ex.service!;
  const candidates = [service.protocol, ...(service.alsoSpeaks ?? [])];
  const name = candidates.find((p) => protocols[p].recognizes(ex.req)) ?? service.protocol;
  ex.protocolName = name;
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

/**
 * Parsing is input validation: whatever goes wrong while reading a request
 * is the request's fault, so an unexpected error here (a deserializer
 * choking on a malformed body) becomes the protocol's validation error, and
 * a call the SDK model does not know becomes its unknown-operation error.
 */
async function parseRequest(ex: Exchange): Promise<void> {
  const refuse = refusals[ex.protocolName!];
  try {
    const { operation, input } = await ex.protocol!.parse(ex.req, ex.service!);
    ex.operation = operation;
    ex.input = input;
  } catch (err) {
    if (err instanceof UnknownOperationError) throw refuse.unknownOperation(err.message);
    if (err instanceof AwsError) throw err;
    throw refuse.invalidInput(`The request could not be read: ${describe(err)}`);
  }
}

/**
 * An operation AWS has but the twin does not serve is refused before
 * authorization, as AWS refuses an unknown operation, naming it.
 */
function refuseUnservedOperation(ex: Exchange): void {
  if (ex.service!.handlers[ex.operation!]) return;
  throw refusals[ex.protocolName!].unknownOperation(
    `The twin does not serve ${ex.service!.signingName}:${ex.operation} (see twin/COVERAGE.md)`,
  );
}

/**
 * Input of the types its schema declares (gateway/shapes.ts), within AWS's
 * service-wide limits (gateway/limits.ts). An unexpected error while
 * checking input is the input's fault too: the validation error.
 */
function enforceInputLimits(ex: Exchange): void {
  const refuse = refusals[ex.protocolName!];
  try {
    const info = operationInfo(ex.service!, ex.operation!);
    const problem = info && shapeProblem(info.input, ex.input);
    if (problem) throw (refuse.malformed ?? refuse.invalidInput)(`Invalid input: ${problem}`);
    enforceLimits(ex.service!.signingName, ex.operation!, ex.input!);
  } catch (err) {
    if (err instanceof AwsError) throw err;
    throw refuse.invalidInput(`The request's input was refused: ${describe(err)}`);
  }
}

function describe(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 200);
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
