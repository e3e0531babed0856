#!/bin/sh
# The proxy image's entrypoint: nginx with Meent's site file (deploy/nginx/meent.conf, the one
# source) as shipped, but for the app processes it sends to and the port it listens on:
#   MEENT_UPSTREAMS  the app processes, host:port separated by spaces (web:8000; in a Kubernetes
#                    pod 127.0.0.1:8000)
#   PROXY_PORT       the port nginx listens on (8080; a user without privileges cannot take 80)
# `meent-proxy render` prints the site file it would use and stops.
set -eu
site="${MEENT_SITE_FILE:-/etc/meent/meent.conf}"
upstreams="${MEENT_UPSTREAMS:-web:8000}"
port="${PROXY_PORT:-8080}"

render() {
    for line in "server 127.0.0.1:8001 " "server 127.0.0.1:8002 " "listen 80;"; do
        grep -q "$line" "$site" || { echo "meent-proxy: '$line' is no longer in $site" >&2; exit 1; }
    done
    awk -v upstreams="$upstreams" -v port="$port" '
        /server 127\.0\.0\.1:8001 / {
            n = split(upstreams, address, " ")
            for (i = 1; i <= n; i++) printf "    server %s max_fails=1 fail_timeout=5s;\n", address[i]
            next
        }
        /server 127\.0\.0\.1:8002 / { next }
        /listen 80;/ { sub(/listen 80;/, "listen " port ";") }
        { print }
    ' "$site"
}

if [ "${1:-}" = "render" ]; then
    render
    exit 0
fi
render >/tmp/meent-site.conf
# -e: its own error log before it reads the configuration, where it may write.
exec nginx -e stderr -c "${MEENT_NGINX_CONF:-/etc/meent/nginx.conf}" "$@"
