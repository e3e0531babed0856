#!/bin/sh
# The app image's entrypoint (deploy/container/Containerfile): what the container runs.
#   web        an app process (HTTP and WebSockets) on 0.0.0.0:$PORT (8000)
#   worker     the task worker (background tasks and schedules); SIGTERM finishes the running task
#   release    the migrations, once per deploy before the new app processes start (the static
#              files were collected when the image was built)
#   health     exit 0 when the app process in this container answers /livez (HEALTHCHECK)
#   manage ... a management command, e.g. `manage search_index rebuild`
# Anything else is run as it is.
set -eu
cd /app
command="${1:-web}"
[ $# -gt 0 ] && shift
case "$command" in
    web) exec python -m config.serve --host 0.0.0.0 --port "${PORT:-8000}" "$@" ;;
    worker) exec python manage.py run_worker "$@" ;;
    release) exec python manage.py migrate --noinput "$@" ;;
    health) exec python deploy/container/livez.py ;;
    manage) exec python manage.py "$@" ;;
    *) exec "$command" "$@" ;;
esac
