"""The twin's Python execution environment: one process per environment.

Run by twin/runtime/python/environment.ts as `python3 bootstrap.py` with the
function's environment (its role credentials, AWS_REGION, ...). It loads the
handler once (the init phase), then runs invocations one at a time, as the
Lambda runtime interface client (awslambdaric) does, speaking JSON lines:
messages from the twin on stdin, messages to it on file descriptor 3 (log
events, init and done, and the network questions below). Everything the
function writes goes through fd 3 too, so that its lines arrive before the
invocation's "done" and stay inside START ... END.

Why a bootstrap patches boto3 and sockets before the handler's module loads:
- The SDK must call the twin, not AWS. Debian's python3-boto3 (1.26, botocore
  1.29) predates AWS_ENDPOINT_URL (botocore 1.31), so the bootstrap makes the
  twin's origin the default endpoint_url of every client botocore creates; a
  newer boto3 would honour AWS_ENDPOINT_URL, which the environment also sets.
  Each client also remembers, per thread, the signed head of the request it
  is about to send (botocore's before-send event); when that request opens
  a connection to the twin, the bootstrap first asks the twin whether the
  service it names has a path from the function's position (the same
  question the Node.js hooks ask from a connection's first bytes): without
  one the connection never opens, as a SYN with no route, and botocore sees
  its connect timeout. As a second line, those calls are signed with the
  execution role's session, which carries the function's position: the
  twin's gateway holds a call with no path unanswered whatever opened it
  (twin/gateway/chain.ts, holdWhenUnreachable). So the handler runs
  unchanged and is still judged by where it sits.
- Nothing may leave 127.0.0.1. Name lookups and TCP connections to any other
  address are asked of the twin (twin/runtime/network.ts, as the Node.js
  hooks ask): a reachable host is answered by the twin's stand-in on
  127.0.0.1, an unreachable one never answers (a SYN with no route), until
  the socket's own timeout or the function's. UDP to other hosts is dropped.
"""

import decimal
import importlib
import json
import logging
import os
import queue
import resource
import socket
import sys
import threading
import time
import traceback
import urllib.parse

TWIN_ORIGIN = os.environ.get("AWS_ENDPOINT_URL", "")
TWIN_PORT = urllib.parse.urlsplit(TWIN_ORIGIN).port or 80
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", "")
_sdk = threading.local()

_out = os.fdopen(3, "wb", buffering=0)
_out_lock = threading.Lock()
_answers = {}
_answers_lock = threading.Lock()
_invocations = queue.Queue()
_next_id = [0]
_clock_offset_ms = [0]
_request_id = ["undefined"]


def send(message):
    data = (json.dumps(message) + "\n").encode("utf-8")
    with _out_lock:
        _out.write(data)


def twin_now_ms():
    return time.time() * 1000 + _clock_offset_ms[0]


def log_event(text):
    send({"type": "log", "timestamp": int(twin_now_ms()), "message": text if text.endswith("\n") else text + "\n"})


def ask(question):
    with _answers_lock:
        _next_id[0] += 1
        qid = _next_id[0]
        box = queue.Queue(maxsize=1)
        _answers[qid] = box
    send(dict(question, id=qid))
    return box.get()


def _read_stdin():
    for line in sys.stdin.buffer:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("type") == "answer":
            with _answers_lock:
                box = _answers.pop(message.get("id"), None)
            if box is not None:
                box.put(message)
        elif message.get("type") == "invoke":
            _invocations.put(message)
    # The twin closed stdin: the environment ends.
    os._exit(0)


# --- output: print() and the logging module, as the Python runtime writes them ---


class _LineWriter:
    """sys.stdout / sys.stderr: one log event per line, as Lambda captures a Python function's output."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self):
        self._buffer = ""
        self._lock = threading.Lock()

    def write(self, text):
        if not isinstance(text, str):
            text = str(text)
        with self._lock:
            self._buffer += text
            *lines, self._buffer = self._buffer.split("\n")
        for line in lines:
            if line:
                log_event(line)
        return len(text)

    def flush(self):
        with self._lock:
            rest, self._buffer = self._buffer, ""
        if rest:
            log_event(rest)

    def isatty(self):
        return False

    def fileno(self):
        raise OSError("the function's output is not a file")

    def writable(self):
        return True


class _LambdaLoggerHandler(logging.Handler):
    """The runtime's handler on the root logger: `[LEVEL]\\t<time>Z\\t<request id>\\t<message>`, one event per record."""

    def emit(self, record):
        try:
            log_event(self.format(record))
        except Exception:
            self.handleError(record)


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id[0]
        return True


def _install_output():
    sys.stdout = _LineWriter()
    sys.stderr = _LineWriter()
    handler = _LambdaLoggerHandler()
    formatter = logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"
    )
    formatter.converter = lambda seconds: time.gmtime(seconds + _clock_offset_ms[0] / 1000)
    handler.setFormatter(formatter)
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]


# --- network: nothing leaves 127.0.0.1 ---

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def _is_ip(host):
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(family, host)
            return True
        except (OSError, ValueError):
            pass
    return False


def is_loopback(host):
    if host is None or host == "":
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    h = str(host).lower().strip("[]")
    return h in _LOOPBACK_NAMES or h.startswith("127.") or h.startswith("::ffff:127.") or h in ("::1", "0.0.0.0", "::")


def _hang(sock):
    """No answer, as a SYN into a network with no route: the socket's timeout, or the function's."""
    timeout = sock.gettimeout() if sock is not None else None
    if timeout is None:
        while True:
            time.sleep(3600)
    time.sleep(timeout)
    raise socket.timeout("timed out")


_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_sendto = socket.socket.sendto


def _getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if is_loopback(host) or _is_ip(host):
        return _real_getaddrinfo(host, port, family, type, proto, flags)
    if family == socket.AF_INET6:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    reply = ask({"type": "dns", "hostname": host})
    if reply.get("code"):
        code = socket.EAI_AGAIN if reply["code"] == "EAI_AGAIN" else socket.EAI_NONAME
        raise socket.gaierror(code, "Temporary failure in name resolution" if code == socket.EAI_AGAIN else "Name or service not known")
    if isinstance(port, str):
        port = socket.getservbyname(port)
    kinds = [type] if type else [socket.SOCK_STREAM, socket.SOCK_DGRAM, socket.SOCK_RAW]
    return [
        (socket.AF_INET, kind, proto or (socket.IPPROTO_TCP if kind == socket.SOCK_STREAM else socket.IPPROTO_UDP if kind == socket.SOCK_DGRAM else 0), "", (address, port or 0))
        for address in reply.get("addresses", [])
        for kind in kinds
    ]


def _route(sock, address):
    """Where a connection really goes: loopback as it is; elsewhere as the twin decides."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or not isinstance(address, tuple):
        return address
    host, port = address[0], address[1]
    if is_loopback(host):
        head = getattr(_sdk, "head", None)
        if head and int(port) == TWIN_PORT:
            _sdk.head = None
            if ask({"type": "service", "head": head}).get("kind") == "hang":
                _hang(sock)
        return address
    if sock.type == socket.SOCK_DGRAM:
        return None
    verdict = ask({"type": "connect", "host": str(host), "port": int(port)})
    if verdict.get("code"):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    if verdict.get("kind") == "sink":
        return ("127.0.0.1", verdict["port"]) if sock.family == socket.AF_INET else ("::ffff:127.0.0.1", verdict["port"])
    _hang(sock)


def _connect(self, address):
    target = _route(self, address)
    if target is None:
        return None
    return _real_connect(self, target)


def _connect_ex(self, address):
    target = _route(self, address)
    if target is None:
        return 0
    return _real_connect_ex(self, target)


def _sendto(self, data, *args):
    address = args[-1]
    if isinstance(address, tuple) and not is_loopback(address[0]):
        return len(data)
    return _real_sendto(self, data, *args)


def _install_network():
    socket.getaddrinfo = _getaddrinfo
    socket.socket.connect = _connect
    socket.socket.connect_ex = _connect_ex
    socket.socket.sendto = _sendto


def _remember_request(request=None, **kwargs):
    """The signed head of the request this thread is about to send: its credential scope names the service."""
    if request is not None:
        lines = []
        for name, value in request.headers.items():
            lines.append("{}: {}".format(name, value.decode("latin-1") if isinstance(value, bytes) else value))
        _sdk.head = "\r\n".join(lines)


def _route_sdk_to_twin():
    """Every botocore client defaults to the twin's endpoint (botocore < 1.31 ignores AWS_ENDPOINT_URL)."""
    try:
        import botocore.session
    except ImportError:
        return
    real_create_client = botocore.session.Session.create_client

    def create_client(self, service_name, *args, **kwargs):
        # endpoint_url is create_client's fifth parameter after service_name (region, api_version, use_ssl, verify).
        if len(args) < 5 and kwargs.get("endpoint_url") is None and TWIN_ORIGIN:
            kwargs["endpoint_url"] = TWIN_ORIGIN
        client = real_create_client(self, service_name, *args, **kwargs)
        client.meta.events.register("before-send", _remember_request)
        return client

    botocore.session.Session.create_client = create_client


# --- the handler ---


class FaultException(Exception):
    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.msg = message
        self.trace = trace or []


def make_error(message, error_type, stack_trace, request_id=""):
    return {"errorMessage": message or "", "errorType": error_type or "", "requestId": request_id or "", "stackTrace": stack_trace or []}


def fault_result(exc_info, request_id=""):
    """The error payload of an exception (awslambdaric's build_fault_result), the bootstrap's own frames left out."""
    error_type, value, tb = exc_info
    frames = traceback.extract_tb(tb)
    for i, frame in enumerate(frames):
        if not frame.filename.endswith("bootstrap.py"):
            frames = frames[i:]
            break
    else:
        frames = []
    return make_error(str(value), error_type.__name__, traceback.format_list(frames), request_id)


def log_error(error):
    """`[ERROR] Type: message` and the traceback, one log event (awslambdaric's log_error)."""
    head = "[ERROR]"
    if error.get("errorType"):
        head += " " + error["errorType"]
    if error.get("errorMessage"):
        head += (":" if error.get("errorType") else "") + " " + error["errorMessage"]
    lines = [head, "Traceback (most recent call last):"]
    for element in error.get("stackTrace") or []:
        lines.extend(element.splitlines() if element else [""])
    log_event("\n".join(lines))


def load_handler(handler):
    """`module.function` as the Python runtime finds it, with its error types."""
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException("Runtime.MalformedHandlerName", "Bad handler '{}': {}".format(handler, e))
    try:
        if module_name.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                "Runtime.BuiltInModuleConflict", "Cannot use built-in module {} as a handler module".format(module_name)
            )
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as e:
        raise FaultException("Runtime.ImportModuleError", "Unable to import module '{}': {}".format(module_name, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException("Runtime.UserCodeSyntaxError", "Syntax error in module '{}': {}".format(module_name, e), trace)
    function = getattr(module, function_name, None)
    if function is None:
        fault = FaultException("Runtime.HandlerNotFound", "Handler '{}' missing on module '{}'".format(function_name, module_name))

        def missing(event, context):
            raise fault

        return missing
    return function


class LambdaContext:
    def __init__(self, message):
        meta = message["meta"]
        self.function_name = meta["functionName"]
        self.function_version = meta["functionVersion"]
        self.invoked_function_arn = meta["invokedFunctionArn"]
        self.memory_limit_in_mb = int(meta["memoryLimitInMB"])
        self.aws_request_id = message["requestId"]
        self.log_group_name = meta["logGroupName"]
        self.log_stream_name = meta["logStreamName"]
        self.identity = None
        client_context = message.get("clientContext")
        try:
            self.client_context = json.loads(client_context) if client_context else None
        except ValueError:
            self.client_context = None
        self._deadline_ms = message["deadlineMs"]

    def get_remaining_time_in_millis(self):
        return int(max(self._deadline_ms - twin_now_ms(), 0))


def _decimal(value):
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError("Object of type {} is not JSON serializable".format(type(value).__name__))


def memory_mb():
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024) + 1


def invoke(handler, message):
    request_id = message["requestId"]
    _request_id[0] = request_id
    _clock_offset_ms[0] = message["clockOffsetMs"]
    try:
        result = handler(json.loads(message["payload"]), LambdaContext(message))
        try:
            payload = json.dumps(result, default=_decimal)
        except (TypeError, ValueError) as e:
            raise FaultException("Runtime.MarshalError", "Unable to marshal response: {}".format(e))
        done = {"ok": True, "payload": payload}
    except FaultException as e:
        error = make_error(e.msg, e.error_type, e.trace, request_id)
        log_error(error)
        done = {"ok": False, "error": error}
    except Exception:
        error = fault_result(sys.exc_info(), request_id)
        log_error(error)
        done = {"ok": False, "error": error}
    sys.stdout.flush()
    sys.stderr.flush()
    send(dict(done, type="done", requestId=request_id, memory=memory_mb()))


def main():
    threading.Thread(target=_read_stdin, daemon=True).start()
    _clock_offset_ms[0] = float(os.environ.pop("_TWIN_CLOCK_OFFSET_MS", "0"))
    # The handler's module is found in the task root, as /var/task is on Lambda's sys.path; not beside this file.
    sys.path[0] = TASK_ROOT
    os.chdir(TASK_ROOT)
    _install_network()
    _route_sdk_to_twin()
    _install_output()
    try:
        handler = load_handler(os.environ["_HANDLER"])
    except FaultException as e:
        error = make_error(e.msg, e.error_type, e.trace)
        log_error(error)
        send({"type": "init", "ok": False, "error": error})
        return
    except Exception:
        error = fault_result(sys.exc_info())
        log_error(error)
        send({"type": "init", "ok": False, "error": error})
        return
    send({"type": "init", "ok": True})
    while True:
        invoke(handler, _invocations.get())


main()
# A failed init leaves the process waiting: the twin ends it, as Lambda ends an environment whose init failed.
threading.Event().wait()
