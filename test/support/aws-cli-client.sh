#!/usr/bin/env bash
# `aws` for a script under test (AWS_BIN): hands this command line, working
# directory and environment to the AWS CLI session listening on
# MESHCHECK_AWS_CLI_PORT (aws-cli-session.py --listen, which says why), then
# prints what the CLI printed and exits with its code, as /usr/bin/aws would.
set -euo pipefail
exec 3<>"/dev/tcp/127.0.0.1/${MESHCHECK_AWS_CLI_PORT:?no AWS CLI session}"
{
  printf '%s\0%s\0' "$PWD" "$#"
  for arg in "$@"; do printf '%s\0' "$arg"; done
  env -0
  printf '\0'
} >&3
read -r code <&3
read -r length <&3
head -c "$length" <&3
read -r length <&3
head -c "$length" <&3 >&2
exit "$code"
