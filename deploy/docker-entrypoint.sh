#!/bin/sh
# The image's entries (see Dockerfile). exec: the process gets the signals (docker stop = SIGTERM).
set -eu
cd /app
command="${1:-web}"
[ "$#" -gt 0 ] && shift
case "$command" in
  web)
    # The server must not run the job queue unless WORKER_MODE says so; lib/env.ts is checked first,
    # so a bad variable stops the container with its name instead of failing on the first request.
    node --import tsx scripts/check-env.ts
    exec node web/server.js "$@"
    ;;
  worker) exec node --import tsx scripts/worker.ts "$@" ;;
  migrate) exec node --import tsx scripts/cli.ts db migrate "$@" ;;
  cli) exec node --import tsx scripts/cli.ts "$@" ;;
  *)
    echo "usage: greenlight web | worker | migrate | cli <command>..." >&2
    exit 2
    ;;
esac
