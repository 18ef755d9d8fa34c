import { runtimeOf } from '../../../runtime/index.ts';
import { delay } from '../../../state/profile.ts';
import type { Twin } from '../../../twin.ts';
import { conflict, functionNotFound, notActive, preconditionFailed, updateInProgress } from '../errors.ts';
import type { FunctionCode, FunctionState, FunctionVpc, LambdaModel } from './index.ts';
import { attachVpc, detachVpc } from './vpc.ts';

/**
 * Functions and their lifecycle (Lambda Developer Guide, "Lambda function
 * states"): "After Lambda creates the function, it sets the state to
 * pending … Lambda does not invoke a function during pending state. Any
 * invocations or other API actions that operate on the function will
 * fail"; an update sets LastUpdateStatus InProgress until it is done,
 * during which another update is refused.
 */

export interface FunctionStatus {
  state: 'Pending' | 'Active';
  lastUpdateStatus: 'InProgress' | 'Successful';
}

export function statusOf(fn: FunctionState, now: number): FunctionStatus {
  return {
    state: now < fn.activeAt ? 'Pending' : 'Active',
    lastUpdateStatus: now < fn.updateDoneAt ? 'InProgress' : 'Successful',
  };
}

export function getFunction(model: LambdaModel, name: string): FunctionState {
  const fn = model.functions.get(name);
  if (!fn) throw functionNotFound(model.functionArn(name));
  return fn;
}

/** Invoke needs an Active function. */
export function requireActive(fn: FunctionState, now: number): void {
  const { state } = statusOf(fn, now);
  if (state !== 'Active') throw notActive(state);
}

/** Updates need an Active function with no update in progress; a stale RevisionId fails. */
export function requireUpdatable(fn: FunctionState, now: number, revisionId?: string): void {
  requireActive(fn, now);
  if (statusOf(fn, now).lastUpdateStatus === 'InProgress') throw updateInProgress(fn.arn);
  if (revisionId !== undefined && revisionId !== fn.revisionId) {
    throw preconditionFailed(
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
  }
}

export interface NewFunction {
  name: string;
  runtime: string;
  handler: string;
  role: string;
  description: string;
  timeout: number;
  memorySize: number;
  environment: Record<string, string>;
  code: FunctionCode;
  vpc: FunctionVpc | undefined;
  tags: Record<string, string>;
}

/**
 * Adds a function, Pending until the profile's activation delay has passed
 * (the time Lambda takes to prepare it; for VPC functions, to make their
 * Hyperplane ENIs). "Function already exist: NAME" if the name is taken.
 */
export function createFunction(
  twin: Twin,
  model: LambdaModel,
  spec: NewFunction,
  requesterId: string,
): FunctionState {
  if (model.functions.has(spec.name)) throw conflict(`Function already exist: ${spec.name}`);
  const now = twin.clock.now();
  const activeAt = now + delay(twin.profile, 'lambdaActivationMs');
  const { vpc, ...rest } = spec;
  const fn: FunctionState = {
    ...rest,
    arn: model.functionArn(spec.name),
    policy: [],
    revisionId: twin.ids.uuid(),
    createdAt: now,
    lastModified: now,
    activeAt,
    updateDoneAt: activeAt,
    ...(vpc && { vpc }),
  };
  attachVpc(twin, model, fn, requesterId);
  model.functions.set(fn.name, fn);
  return fn;
}

/** Marks a change: new revision, InProgress until the update is done, warm environments retired. */
function changed(twin: Twin, fn: FunctionState): void {
  const now = twin.clock.now();
  fn.revisionId = twin.ids.uuid();
  fn.lastModified = now;
  fn.updateDoneAt = now + delay(twin.profile, 'lambdaActivationMs');
  runtimeOf(twin).retire(fn.arn);
}

export type ConfigurationChange = Partial<
  Pick<
    FunctionState,
    'runtime' | 'handler' | 'role' | 'description' | 'timeout' | 'memorySize' | 'environment'
  >
> & { vpc?: FunctionVpc | null };

/** UpdateFunctionConfiguration: only what is given changes; `vpc: null` takes the function out of its VPC. */
export function updateConfiguration(
  twin: Twin,
  model: LambdaModel,
  fn: FunctionState,
  change: ConfigurationChange,
  requesterId: string,
): void {
  const { vpc, ...rest } = change;
  Object.assign(fn, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
  if (vpc !== undefined) {
    detachVpc(twin, model, fn);
    if (vpc) fn.vpc = vpc;
    else delete fn.vpc;
    attachVpc(twin, model, fn, requesterId);
  }
  changed(twin, fn);
}

export function updateCode(twin: Twin, fn: FunctionState, code: FunctionCode): void {
  fn.code = code;
  changed(twin, fn);
}

/** DeleteFunction: gone at once; its ENIs linger (vpc.ts); its event source mappings stay, as in AWS. */
export function deleteFunction(twin: Twin, model: LambdaModel, fn: FunctionState): void {
  detachVpc(twin, model, fn);
  model.functions.delete(fn.name);
  runtimeOf(twin).retire(fn.arn);
}
