#!/bin/bash
set -euo pipefail
_main() {
  if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi
  case "$1" in
    worker) exec bundle exec sidekiq -t 25 ;;
    web|server) crond -b && nohup ./bin/sync >> /var/log/sync.log 2>&1 & ;;
    *) ;;
  esac
  for f in /docker-entrypoint.d/*.sh; do . "$f"; done
  while read -r line; do echo "$line" >> /tmp/out; done < <(ls -1)
  cat <<-EOF > /etc/app.conf
	value=$(date +%s) `hostname`
	EOF
  ulimit -n 65535 || true
  TZ=UTC exec "$@" 2>&1 | tee -a /var/log/app.log
}
_main "$@"
