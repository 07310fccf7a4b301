#!/bin/sh
# mifit-sync Grafana entrypoint: renders the provisioning tree with the ALERT_* thresholds
# and the optional contact point, then starts Grafana through the image's /run.sh.
#
# Why: Grafana expands $VARS in datasource files and rule titles, but reads an alert
# query `model` raw (so $timeFilter survives), so thresholds cannot come from $VARS there;
# contact points are only wanted when ALERT_WEBHOOK_URL / ALERT_EMAIL_TO are set.
# The mounted tree (read-only) is copied to a private directory and Grafana is pointed at it
# with GF_PATHS_PROVISIONING. Without this script the mounted files still work, with the
# default thresholds and no contact point (alerts then show in Grafana's alert list).
#
# compose: entrypoint: ["/bin/sh", "/etc/grafana/provisioning/entrypoint.sh"]
# MIFIT_RENDER_ONLY=1 renders and exits (used by the tests).
set -eu

SRC=${MIFIT_PROVISIONING_SRC:-${GF_PATHS_PROVISIONING:-/etc/grafana/provisioning}}
OUT=${MIFIT_PROVISIONING_OUT:-/tmp/mifit-provisioning}

log() { echo "mifit-entrypoint: $*" >&2; }

# number NAME DEFAULT: the variable's value when it is a plain non-negative number, else DEFAULT.
number() {
  eval "v=\${$1:-}"
  if [ -z "$v" ]; then printf '%s' "$2"; return; fi
  case "$v" in
    *[!0-9.]* | *.*.* | .* | *.) log "$1=$v is not a number; using $2"; printf '%s' "$2" ;;
    *) printf '%s' "$v" ;;
  esac
}

# yaml_quote VALUE: a single-quoted YAML scalar (quotes doubled, newlines dropped).
yaml_quote() {
  printf "'%s'" "$(printf '%s' "$1" | tr -d '\r\n' | sed "s/'/''/g")"
}

SLEEP_MIN_HOURS=$(number ALERT_SLEEP_MIN_HOURS 6)
STEPS_MIN=$(number ALERT_STEPS_MIN 5000)
STEPS_DAYS=$(number ALERT_STEPS_DAYS 3)
RHR_RISE_BPM=$(number ALERT_RHR_RISE_BPM 5)
NO_DATA_HOURS=$(number ALERT_NO_DATA_HOURS 36)
SYNC_FAIL_HOURS=$(number ALERT_SYNC_FAIL_HOURS 6)
TOKEN_DAYS=$(number ALERT_TOKEN_DAYS 5)
# Query ranges in seconds: the last N complete days need N + 1 days of range (rules.yaml).
STEPS_RANGE_S=$(awk -v d="$STEPS_DAYS" 'BEGIN { printf "%d", (int(d) + 1) * 86400 }')
SYNC_FAIL_RANGE_S=$(awk -v h="$SYNC_FAIL_HOURS" 'BEGIN { printf "%d", h * 3600 }')

rm -rf "$OUT"
mkdir -p "$OUT"
cp -R "$SRC/." "$OUT/"
rm -f "$OUT/entrypoint.sh"
mkdir -p "$OUT/alerting"

# Replace the number in front of each `# mifit: <key>` marker.
for f in "$OUT"/alerting/*.yaml; do
  [ -f "$f" ] || continue
  sed -i \
    -e "s/[0-9][0-9.]*\(\]*  # mifit: sleep_min_hours\)\$/$SLEEP_MIN_HOURS\1/" \
    -e "s/[0-9][0-9.]*\(\]*  # mifit: steps_min\)\$/$STEPS_MIN\1/" \
    -e "s/[0-9][0-9.]*\(\]*  # mifit: steps_range_s\)\$/$STEPS_RANGE_S\1/" \
    -e "s/[0-9][0-9.]*\(\]*  # mifit: rhr_rise_bpm\)\$/$RHR_RISE_BPM\1/" \
    -e "s/[0-9][0-9.]*\(\]*  # mifit: no_data_hours\)\$/$NO_DATA_HOURS\1/" \
    -e "s/[0-9][0-9.]*\(\]*  # mifit: sync_fail_range_s\)\$/$SYNC_FAIL_RANGE_S\1/" \
    -e "s/[0-9][0-9.]*\(\]*  # mifit: token_days\)\$/$TOKEN_DAYS\1/" \
    "$f"
done

# Contact point and notification policy only when a destination is configured. The file may
# hold a webhook URL with a secret in it: it is private to the container user.
WEBHOOK=${ALERT_WEBHOOK_URL:-}
EMAIL=${ALERT_EMAIL_TO:-}
if [ -n "$WEBHOOK" ] || [ -n "$EMAIL" ]; then
  CP="$OUT/alerting/contact-points.yaml"
  (
    umask 077
    {
      echo 'apiVersion: 1'
      echo ''
      echo 'contactPoints:'
      echo '  - orgId: 1'
      echo '    name: mifit-sync'
      echo '    receivers:'
      if [ -n "$WEBHOOK" ]; then
        echo '      - uid: mifit-webhook'
        echo '        type: webhook'
        echo '        settings:'
        echo "          url: $(yaml_quote "$WEBHOOK")"
        echo '          httpMethod: POST'
      fi
      if [ -n "$EMAIL" ]; then
        echo '      - uid: mifit-email'
        echo '        type: email'
        echo '        settings:'
        echo "          addresses: $(yaml_quote "$EMAIL")"
        echo '          singleEmail: true'
      fi
      echo ''
      echo 'policies:'
      echo '  - orgId: 1'
      echo '    receiver: mifit-sync'
      echo '    group_by: [grafana_folder, alertname, user]'
      echo '    group_wait: 30s'
      echo '    group_interval: 5m'
      echo '    repeat_interval: 12h'
    } > "$CP"
  )
  log "contact point mifit-sync provisioned ($( [ -n "$WEBHOOK" ] && printf 'webhook ')$( [ -n "$EMAIL" ] && printf 'email'))"
else
  log "no ALERT_WEBHOOK_URL / ALERT_EMAIL_TO: alerts show in Grafana's alert list only"
fi

export GF_PATHS_PROVISIONING="$OUT"
if [ "${MIFIT_RENDER_ONLY:-}" = "1" ]; then exit 0; fi
exec /run.sh "$@"
