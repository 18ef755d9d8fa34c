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
"""
import io
import json
import os
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


for line in sys.stdin:
    request = json.loads(line)
    channel.write(json.dumps(run(request['args'], request.get('env', {}))) + '\n')
    channel.flush()
