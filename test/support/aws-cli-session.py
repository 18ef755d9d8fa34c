"""Runs AWS CLI command lines one after another in this one process.

Why: every `aws` process starts Python and imports the CLI and botocore
anew, about 0.8 s of CPU a command on this machine; npm test runs some two
hundred of them on two cores. Here each command still goes through the
CLI's own entry point, `awscli.clidriver.create_clidriver().main(args)`,
with a fresh driver and botocore session built from the environment given
for that command, exactly as `/usr/bin/aws` does (it calls
`awscli.clidriver.main()`, which is the same two steps); only the
interpreter and its imports are shared. About 0.3 s a command.

Protocol: one JSON object a line on stdin, {"args": [...], "env": {...}};
one JSON object a line on stdout, {"code": n, "stdout": s, "stderr": s}.
With --listen, for scripts (aws-cli-client.sh is their `aws`): prints the
127.0.0.1 port it listens on, then serves one command a connection: NUL-ended
fields, the working directory, the count of arguments, the arguments, the
environment (`env -0`), an empty field; answered with the exit code, then the
length and bytes of stdout, then of stderr, each length on its own line.
"""
import io
import json
import os
import socket
import sys

# As /usr/bin/aws does before it imports the CLI.
if os.environ.get('LC_CTYPE', '') == 'UTF-8':
    os.environ['LC_CTYPE'] = 'en_US.UTF-8'
import awscli.clidriver  # noqa: E402

BASE_ENV = dict(os.environ)
channel = sys.stdout


def run(args, env):
    os.environ.clear()
    os.environ.update(BASE_ENV)
    os.environ.update(env)
    # Text streams over bytes, as a process's own: the CLI writes binary output through .buffer.
    out = io.TextIOWrapper(io.BytesIO(), encoding='utf-8', newline='')
    err = io.TextIOWrapper(io.BytesIO(), encoding='utf-8', newline='')
    sys.stdout, sys.stderr = out, err
    try:
        code = awscli.clidriver.create_clidriver().main(args)
    except SystemExit as e:  # argparse's usage errors exit
        code = e.code if isinstance(e.code, int) else 1
    except Exception as e:  # what the CLI itself would print as a crash
        err.write(f'{type(e).__name__}: {e}\n')
        code = 255
    finally:
        sys.stdout, sys.stderr = channel, sys.__stderr__
    out.flush()
    err.flush()
    return {
        'code': code if isinstance(code, int) else 0,
        'stdout': out.buffer.getvalue().decode('utf-8', 'replace'),
        'stderr': err.buffer.getvalue().decode('utf-8', 'replace'),
    }


def fields(conn):
    """The NUL-ended fields a client sends, one at a time, up to the empty one that ends them."""
    pending = b''
    while True:
        while b'\0' not in pending:
            chunk = conn.recv(65536)
            if not chunk:
                return
            pending += chunk
        field, pending = pending.split(b'\0', 1)
        yield field.decode('utf-8', 'surrogateescape')


def serve():
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen()
    channel.write(f'{server.getsockname()[1]}\n')
    channel.flush()
    while True:
        conn, _ = server.accept()
        with conn:
            sent = fields(conn)
            cwd = next(sent)
            args = [next(sent) for _ in range(int(next(sent)))]
            env = dict(entry.split('=', 1) for entry in iter(lambda: next(sent, ''), '') if '=' in entry)
            os.chdir(cwd)
            result = run(args, env)
            out, err = result['stdout'].encode(), result['stderr'].encode()
            conn.sendall(f'{result["code"]}\n{len(out)}\n'.encode() + out + f'{len(err)}\n'.encode() + err)


if sys.argv[1:] == ['--listen']:
    serve()
else:
    for line in sys.stdin:
        request = json.loads(line)
        channel.write(json.dumps(run(request['args'], request.get('env', {}))) + '\n')
        channel.flush()
