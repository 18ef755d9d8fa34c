import { type Twin, worldPart } from '../twin.ts';
import { CodeStore } from './code-store.ts';
import { type Environment, ExecutionEnvironment, type SocketRecord } from './environment.ts';
import { runInvocation } from './invocation.ts';
import { InternetStandIn } from './network.ts';
import { PythonEnvironment } from './python/environment.ts';
import { findPython, PYTHON_MISSING, type PythonInterpreter } from './python/interpreter.ts';
import {
  ConcurrencyLimitError,
  type FunctionSpec,
  PythonMissingError,
  type RunRequest,
  type RunResult,
} from './types.ts';

export type { FunctionSpec, RunRequest, RunResult } from './types.ts';
export { ConcurrencyLimitError, PythonMissingError } from './types.ts';

/**
 * The twin's Lambda runtime: function code really runs, each execution
 * environment in a worker thread (environment.ts) for Node.js, in a local
 * python3 process (python/environment.ts) for Python. An environment that
 * finished its invocation stays warm for the same function version and is
 * reused (no Init Duration); a new version, a crash or a timeout means a
 * cold start next time. Idle environments end after a while, as Lambda
 * reclaims them; all end with the twin (reset, close).
 */
const IDLE_MS = 5 * 60_000;

export class FunctionRuntime {
  /** At most this many invocations run at once (TooManyRequestsException beyond). */
  static concurrencyLimit = 10;
  private readonly environments = new Set<Environment>();
  private readonly code = new CodeStore();
  private readonly standIn = new InternetStandIn();
  private disposed = false;

  constructor(private readonly twin: Twin) {}

  /**
   * Runs one invocation of `spec` and returns its response and logs.
   * Throws ConcurrencyLimitError when every slot is busy.
   *
   * @example const result = await runtimeOf(twin).run(spec, { requestId, payload: '{}' });
   */
  async run(spec: FunctionSpec, request: RunRequest): Promise<RunResult> {
    if (this.disposed) throw new Error('the twin was disposed');
    const python = spec.runtime.startsWith('python') ? await findPython() : undefined;
    if (spec.runtime.startsWith('python') && !python) throw new PythonMissingError(PYTHON_MISSING);
    if (this.disposed) throw new Error('the twin was disposed');
    const env = this.acquire(spec, python);
    const result = await runInvocation(env, request);
    this.release(env);
    return result;
  }

  /** Ends the environments of a function (changed or deleted): idle ones now, busy ones when they finish. */
  retire(functionArn: string): void {
    for (const env of this.environments) {
      if (env.spec.functionArn !== functionArn) continue;
      env.retired = true;
      if (env.state === 'idle') this.end(env);
    }
  }

  /** What each live environment of a function is doing, and the sockets it opened. */
  environmentsOf(functionArn: string): { state: string; logStreamName: string; sockets: SocketRecord[] }[] {
    return [...this.environments]
      .filter((e) => e.spec.functionArn === functionArn)
      .map((e) => ({ state: e.state, logStreamName: e.logStreamName, sockets: e.sockets }));
  }

  /** How many environments live and what they do, for the twin's state dump. */
  summary(): { environments: number; byState: Record<string, number> } {
    const byState: Record<string, number> = {};
    for (const env of this.environments) byState[env.state] = (byState[env.state] ?? 0) + 1;
    return { environments: this.environments.size, byState };
  }

  dispose(): void {
    this.disposed = true;
    for (const env of this.environments) env.terminate();
    this.environments.clear();
    this.standIn.close();
    this.code.dispose();
  }

  private acquire(spec: FunctionSpec, python: PythonInterpreter | undefined): Environment {
    const soon = this.twin.clock.now() + 60_000;
    for (const env of this.environments) {
      if (env.state !== 'idle' || env.spec.key !== spec.key) continue;
      // An environment whose role session is about to expire is replaced, not reused.
      if (env.credential.expiresAt !== undefined && env.credential.expiresAt < soon) {
        this.end(env);
        continue;
      }
      env.state = 'busy';
      return env;
    }
    const busy = [...this.environments].filter((e) => e.state === 'busy' || e.state === 'init').length;
    if (busy >= FunctionRuntime.concurrencyLimit)
      throw new ConcurrencyLimitError(FunctionRuntime.concurrencyLimit);
    const env = this.start(spec, python);
    this.environments.add(env);
    return env;
  }

  /** A new environment for `spec`, on the runtime its language needs. */
  private start(spec: FunctionSpec, python: PythonInterpreter | undefined): Environment {
    const taskRoot = this.code.taskRoot(spec.code);
    return python
      ? new PythonEnvironment(this.twin, spec, taskRoot, this.standIn, python)
      : new ExecutionEnvironment(this.twin, spec, taskRoot, this.standIn);
  }

  private release(env: Environment): void {
    if (env.state === 'dead' || env.retired || this.disposed) {
      this.end(env);
      return;
    }
    env.idle();
    const since = env.idleSince;
    setTimeout(() => {
      if (env.state === 'idle' && env.idleSince === since) this.end(env);
    }, IDLE_MS).unref();
  }

  private end(env: Environment): void {
    env.terminate();
    this.environments.delete(env);
  }
}

/** The Lambda runtime is part of the world: owned by the twin, made on first use, ended with it. */
const lambdaRuntime = worldPart({
  name: 'lambda.runtime',
  make: (twin) => new FunctionRuntime(twin),
  show: (runtime) => runtime.summary(),
  dispose: (runtime) => runtime.dispose(),
});

/** The runtime of a twin, made on first use and disposed with the twin. */
export function runtimeOf(twin: Twin): FunctionRuntime {
  return twin.part(lambdaRuntime);
}
