import { Worker } from 'node:worker_threads';
import type { Credential } from '../core/principal.ts';
import type { Twin } from '../twin.ts';
import { type LogEvent, logStreamName } from './log-lines.ts';
import { answerDns, decideConnect, decideServiceConnect, type InternetStandIn } from './network.ts';
import type { ErrorPayload, FunctionSpec, RunRequest } from './types.ts';
import { functionEnvironment } from './variables.ts';

/**
 * One execution environment: a worker thread running worker/bootstrap.mjs
 * for one function version, with its own role session and log stream. It
 * answers the worker's network questions from the twin, collects its log
 * events, and turns each invocation into an outcome; the pool
 * (runtime/index.ts) decides when it is reused or ended.
 */
const BOOTSTRAP = new URL('./worker/bootstrap.mjs', import.meta.url);

export type InitOutcome =
  | { ok: true; initMs: number }
  | { ok: false; initMs: number; error?: ErrorPayload; timedOut?: boolean };

export type InvokeOutcome =
  | { kind: 'done'; ok: true; payload: string }
  | { kind: 'done'; ok: false; error: ErrorPayload }
  | { kind: 'crash'; error: ErrorPayload }
  | { kind: 'exit'; error: ErrorPayload }
  | { kind: 'timeout' };

/** A connection the worker really opened (loopback only, by design), for tests and diagnosis. */
export interface SocketRecord {
  host: string;
  port: number | undefined;
  /** The host a stand-in connection answers for. */
  standsFor?: string;
}

type Message = { type: string; [key: string]: unknown };

/**
 * What an invocation needs of an execution environment, whatever runs the
 * code: a worker thread for Node.js (ExecutionEnvironment), a python3
 * process for Python (python/environment.ts).
 */
export interface Environment {
  readonly spec: FunctionSpec;
  readonly credential: Credential;
  readonly logStreamName: string;
  readonly sockets: SocketRecord[];
  state: 'init' | 'idle' | 'busy' | 'dead';
  retired: boolean;
  maxMemoryMb: number;
  idleSince: number;
  beginInvocation(): void;
  now(): number;
  initialized(limitMs: number): Promise<InitOutcome>;
  invoke(request: RunRequest, timeoutMs: number): Promise<InvokeOutcome>;
  takeLogs(): LogEvent[];
  idle(): void;
  terminate(): void;
}

/**
 * What a runtime (the Node worker, the Python bootstrap) is handed for one invocation: the event, the
 * clock it shows the handler, its deadline, and the context object's fields (Lambda Developer Guide,
 * "Lambda context object").
 */
export function invokeMessage(
  env: Pick<Environment, 'spec' | 'logStreamName'>,
  request: RunRequest,
  clockOffsetMs: number,
  deadlineMs: number,
) {
  return {
    type: 'invoke' as const,
    requestId: request.requestId,
    payload: request.payload,
    clientContext: request.clientContext,
    clockOffsetMs,
    deadlineMs,
    meta: {
      functionName: env.spec.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: env.spec.functionArn,
      memoryLimitInMB: String(env.spec.memorySize),
      logGroupName: env.spec.logGroupName,
      logStreamName: env.logStreamName,
    },
  };
}

export class ExecutionEnvironment implements Environment {
  readonly credential: Credential;
  readonly logStreamName: string;
  readonly sockets: SocketRecord[] = [];
  state: 'init' | 'idle' | 'busy' | 'dead' = 'init';
  /** Set when the function changed: the environment ends after its current invocation. */
  retired = false;
  maxMemoryMb = 0;
  /** performance.now() when it last became idle. */
  idleSince = 0;
  private readonly worker: Worker;
  private logs: LogEvent[] = [];
  private readonly initDone: Promise<InitOutcome>;
  private settleInit: (outcome: InitOutcome) => void = () => {};
  private current: ((outcome: InvokeOutcome) => void) | undefined;
  private readonly started = performance.now();

  constructor(
    private readonly twin: Twin,
    readonly spec: FunctionSpec,
    taskRoot: string,
    private readonly standIn: InternetStandIn,
  ) {
    this.credential = spec.credentials();
    this.logStreamName = logStreamName(twin.clock.now());
    this.initDone = new Promise((resolve) => {
      this.settleInit = resolve;
    });
    this.worker = new Worker(BOOTSTRAP, {
      env: functionEnvironment(spec, this.credential, this.logStreamName, taskRoot, twin.origin),
      execArgv: [],
      workerData: {
        taskRoot,
        handler: spec.handler,
        clockOffsetMs: this.clockOffset(),
        twinOrigin: twin.origin,
      },
      resourceLimits: { maxOldGenerationSizeMb: Math.max(spec.memorySize, 64) },
      stdout: true,
      stderr: true,
    });
    this.worker.stdout.on('data', (chunk: Buffer) => this.rawOutput(chunk));
    this.worker.stderr.on('data', (chunk: Buffer) => this.rawOutput(chunk));
    this.worker.on('message', (m: Message) => this.onMessage(m));
    this.worker.on('error', (error) => this.onExit(error));
    this.worker.on('exit', (code) => this.onExit(code));
  }

  /** Twin time minus wall time: the worker stamps its log lines in twin time. */
  private clockOffset(): number {
    return this.twin.clock.now() - Date.now();
  }

  private offsetMs = 0;

  /**
   * Fixes the invocation's clock: twin time at its start, moving on with the
   * wall clock, so that on a ManualClock the worker's lines and the
   * platform's (START … REPORT) keep their order.
   */
  beginInvocation(): void {
    this.offsetMs = this.clockOffset();
  }

  /** The invocation's clock. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** The init phase's outcome, bounded by `limitMs` of real time. */
  initialized(limitMs: number): Promise<InitOutcome> {
    const timer = setTimeout(
      () => this.settleInit({ ok: false, initMs: performance.now() - this.started, timedOut: true }),
      limitMs,
    );
    return this.initDone.finally(() => clearTimeout(timer));
  }

  /** Runs one invocation; a timeout leaves the worker running for the pool to end. */
  invoke(request: RunRequest, timeoutMs: number): Promise<InvokeOutcome> {
    this.state = 'busy';
    this.worker.ref();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.finish({ kind: 'timeout' }), timeoutMs);
      this.current = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      this.worker.postMessage(invokeMessage(this, request, this.offsetMs, this.now() + timeoutMs));
    });
  }

  /** Log events written since the last call. */
  takeLogs(): LogEvent[] {
    const taken = this.logs;
    this.logs = [];
    return taken;
  }

  idle(): void {
    this.state = 'idle';
    this.idleSince = performance.now();
    this.worker.unref();
  }

  terminate(): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    void this.worker.terminate();
  }

  private finish(outcome: InvokeOutcome): void {
    const current = this.current;
    this.current = undefined;
    current?.(outcome);
  }

  private rawOutput(chunk: Buffer): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line) this.logs.push({ timestamp: this.now(), message: `${line}\n` });
    }
  }

  private onMessage(m: Message): void {
    switch (m.type) {
      case 'log':
        this.logs.push({ timestamp: m.timestamp as number, message: m.message as string });
        return;
      case 'socket':
        this.sockets.push({
          host: String(m.host),
          port: m.port as number | undefined,
          ...(m.standsFor !== undefined && { standsFor: String(m.standsFor) }),
        });
        return;
      case 'dns':
      case 'connect':
      case 'service':
        void this.answer(m);
        return;
      case 'init':
        // Init Duration counts from the environment's start: runtime boot and the handler's module load.
        this.settleInit(
          m.ok
            ? { ok: true, initMs: performance.now() - this.started }
            : { ok: false, initMs: performance.now() - this.started, error: m.error as ErrorPayload },
        );
        return;
      case 'done':
        this.maxMemoryMb = Math.max(this.maxMemoryMb, Number(m.memory ?? 0));
        this.finish(
          m.ok
            ? { kind: 'done', ok: true, payload: m.payload as string }
            : { kind: 'done', ok: false, error: m.error as ErrorPayload },
        );
        return;
      case 'crash':
        this.finish({ kind: 'crash', error: m.error as ErrorPayload });
    }
  }

  private async answer(m: Message): Promise<void> {
    const position = this.spec.position;
    const reply =
      m.type === 'dns'
        ? answerDns(this.twin, position, String(m.hostname))
        : m.type === 'service'
          ? decideServiceConnect(this.twin, position, String(m.head))
          : decideConnect(this.twin, position, String(m.host), Number(m.port), await this.standIn.port());
    if (this.state !== 'dead') this.worker.postMessage({ type: 'answer', id: m.id, ...reply });
  }

  /** The worker ended on its own (process.exit, out of memory, a crash in the bootstrap). */
  private onExit(cause: unknown): void {
    const wasDead = this.state === 'dead';
    this.state = 'dead';
    const oom =
      cause instanceof Error && (cause as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
    const status = oom ? 'signal: killed' : `exit status ${typeof cause === 'number' ? cause : 1}`;
    const error = { errorType: oom ? 'Runtime.OutOfMemory' : 'Runtime.ExitError', errorMessage: status };
    this.settleInit({ ok: false, initMs: performance.now() - this.started, error });
    if (!wasDead) this.finish({ kind: 'exit', error });
  }
}
