import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Credential } from '../../core/principal.ts';
import type { Twin } from '../../twin.ts';
import {
  type Environment,
  type InitOutcome,
  type InvokeOutcome,
  invokeMessage,
  type SocketRecord,
} from '../environment.ts';
import { type LogEvent, logStreamName } from '../log-lines.ts';
import { answerDns, decideConnect, decideServiceConnect, type InternetStandIn } from '../network.ts';
import type { ErrorPayload, FunctionSpec, RunRequest } from '../types.ts';
import { functionEnvironment } from '../variables.ts';
import type { PythonInterpreter } from './interpreter.ts';

/**
 * One Python execution environment: a python3 process running
 * bootstrap.py for one function version, with its own role session and
 * log stream — the same contract as the Node.js worker
 * (../environment.ts): the init phase once, then one invocation at a time,
 * log events, the outcome, and the network questions answered from the
 * function's position. JSON lines go in on stdin and come out on fd 3; the
 * process's own stdout and stderr (the interpreter failing before the
 * bootstrap runs) become log lines too.
 */
const BOOTSTRAP = fileURLToPath(new URL('./bootstrap.py', import.meta.url));

type Message = { type: string; [key: string]: unknown };

export class PythonEnvironment implements Environment {
  readonly credential: Credential;
  readonly logStreamName: string;
  readonly sockets: SocketRecord[] = [];
  state: 'init' | 'idle' | 'busy' | 'dead' = 'init';
  retired = false;
  maxMemoryMb = 0;
  idleSince = 0;
  private readonly child: ChildProcess;
  private logs: LogEvent[] = [];
  private readonly initDone: Promise<InitOutcome>;
  private settleInit: (outcome: InitOutcome) => void = () => {};
  private current: ((outcome: InvokeOutcome) => void) | undefined;
  private readonly started = performance.now();
  private offsetMs = 0;

  constructor(
    private readonly twin: Twin,
    readonly spec: FunctionSpec,
    taskRoot: string,
    private readonly standIn: InternetStandIn,
    python: PythonInterpreter,
  ) {
    this.credential = spec.credentials();
    this.logStreamName = logStreamName(twin.clock.now());
    this.initDone = new Promise((resolve) => {
      this.settleInit = resolve;
    });
    this.offsetMs = this.clockOffset();
    const env = {
      ...functionEnvironment(spec, this.credential, this.logStreamName, taskRoot, twin.origin),
      // No shared config or credentials file of this machine's user may change the SDK's behaviour.
      AWS_CONFIG_FILE: `${taskRoot}/.twin-no-aws-config`,
      AWS_SHARED_CREDENTIALS_FILE: `${taskRoot}/.twin-no-aws-credentials`,
      PYTHONDONTWRITEBYTECODE: '1',
      _TWIN_CLOCK_OFFSET_MS: String(this.offsetMs),
    };
    this.child = spawn(python.executable, [BOOTSTRAP], {
      cwd: taskRoot,
      env,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.rawOutput(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => this.rawOutput(chunk));
    this.child.stdin?.on('error', () => {});
    let pending = '';
    const channel = this.child.stdio[3] as NodeJS.ReadableStream;
    channel.setEncoding('utf8');
    channel.on('data', (text: string) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line) this.onMessage(JSON.parse(line) as Message);
    });
    channel.on('error', () => {});
    this.child.on('error', (error) => this.onExit(error.message));
    this.child.on('exit', (code, signal) =>
      this.onExit(signal ? `signal: ${signal}` : `exit status ${code}`),
    );
  }

  private clockOffset(): number {
    return this.twin.clock.now() - Date.now();
  }

  beginInvocation(): void {
    this.offsetMs = this.clockOffset();
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  initialized(limitMs: number): Promise<InitOutcome> {
    const timer = setTimeout(
      () => this.settleInit({ ok: false, initMs: performance.now() - this.started, timedOut: true }),
      limitMs,
    );
    return this.initDone.finally(() => clearTimeout(timer));
  }

  invoke(request: RunRequest, timeoutMs: number): Promise<InvokeOutcome> {
    this.state = 'busy';
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.finish({ kind: 'timeout' }), timeoutMs);
      this.current = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      this.send(invokeMessage(this, request, this.offsetMs, this.now() + timeoutMs));
    });
  }

  takeLogs(): LogEvent[] {
    const taken = this.logs;
    this.logs = [];
    return taken;
  }

  idle(): void {
    this.state = 'idle';
    this.idleSince = performance.now();
  }

  terminate(): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    this.child.kill('SIGKILL');
  }

  private send(message: Record<string, unknown>): void {
    if (this.state !== 'dead') this.child.stdin?.write(`${JSON.stringify(message)}\n`);
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
      case 'dns':
      case 'connect':
      case 'service':
        void this.answer(m);
        return;
      case 'init':
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
    }
  }

  private async answer(m: Message): Promise<void> {
    const position = this.spec.position;
    if (m.type === 'dns') {
      this.send({ type: 'answer', id: m.id, ...answerDns(this.twin, position, String(m.hostname)) });
      return;
    }
    if (m.type === 'service') {
      this.send({ type: 'answer', id: m.id, ...decideServiceConnect(this.twin, position, String(m.head)) });
      return;
    }
    const host = String(m.host);
    const sink = await this.standIn.port();
    const verdict = decideConnect(this.twin, position, host, Number(m.port), sink);
    if ('kind' in verdict && verdict.kind === 'sink')
      this.sockets.push({ host: '127.0.0.1', port: sink, standsFor: host });
    this.send({ type: 'answer', id: m.id, ...verdict });
  }

  /** The process ended on its own (sys.exit, os._exit, a signal, the interpreter failing to start). */
  private onExit(status: string): void {
    const wasDead = this.state === 'dead';
    this.state = 'dead';
    const error = { errorType: 'Runtime.ExitError', errorMessage: status };
    this.settleInit({ ok: false, initMs: performance.now() - this.started, error });
    if (!wasDead) this.finish({ kind: 'exit', error });
  }
}
