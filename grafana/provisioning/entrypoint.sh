#!/bin/sh
# mifit-sync Grafana entrypoint: renders the provisioning tree with the ALERT_* thresholds
# and the optional contact point (or its removal), sets the first-start admin password, then
# starts Grafana through the image's /run.sh.
#
# Why: Grafana expands $VARS in datasource files and rule titles, but reads an alert
# query `model` raw (so $timeFilter survives), so thresholds cannot come from $VARS there;
# contact points are only wanted when ALERT_WEBHOOK_URL / ALERT_EMAIL_TO are set.
# The mounted tree (read-only) is copied to a private directory and Grafana is pointed at it
# with GF_PATHS_PROVISIONING. Without this script the mounted files still work, with the
# default thresholds and no contact point (alerts then show in Grafana's alert list).
#
# compose: entrypoint: ["/bin/sh", "/etc/grafana/provisioning/entrypoint.sh"]
# MIFIT_RENDER_ONLY=1 renders and exits (used by the tests). State kept between starts
# (the generated admin password, which contact point was provisioned last) lives in Grafana's
# data directory, the grafana-data volume: MIFIT_STATE_DIR overrides it (tests).
set -eu

SRC=${MIFIT_PROVISIONING_SRC:-${GF_PATHS_PROVISIONING:-/etc/grafana/provisioning}}
OUT=${MIFIT_PROVISIONING_OUT:-/tmp/mifit-provisioning}
STATE=${MIFIT_STATE_DIR:-${GF_PATHS_DATA:-/var/lib/grafana}}

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
ODI_MAX=$(number ALERT_ODI_MAX 5)
SPO2_MIN_PCT=$(number ALERT_SPO2_MIN_PCT 90)
HRV_DROP_PCT=$(number ALERT_HRV_DROP_PCT 20)
# "Sleep HRV under baseline": a whole number of nights (rounded up, at least 1), read from the
# newest nights of the last nights + 1 days (rules.yaml).
HRV_DAYS=$(awk -v d="$(number ALERT_HRV_DAYS 3)" 'BEGIN { n = int(d); if (n < d) n++; if (n < 1) n = 1; printf "%d", n }')
HRV_RANGE_S=$(awk -v n="$HRV_DAYS" 'BEGIN { printf "%d", (n + 1) * 86400 }')
# Query ranges in seconds: the last N complete days need N + 1 days of range (rules.yaml).
STEPS_RANGE_S=$(awk -v d="$STEPS_DAYS" 'BEGIN { printf "%d", (int(d) + 1) * 86400 }')
SYNC_FAIL_RANGE_S=$(awk -v h="$SYNC_FAIL_HOURS" 'BEGIN { printf "%d", h * 3600 }')
# "No new band data": whole hours of the moving-average window (at least 1), and a query range
# of that window + 30 days (rules.yaml).
NO_DATA_WINDOW_H=$(awk -v h="$NO_DATA_HOURS" 'BEGIN { w = int(h); if (w < h) w++; if (w < 1) w = 1; printf "%d", w }')
NO_DATA_RANGE_S=$(awk -v w="$NO_DATA_WINDOW_H" 'BEGIN { printf "%d", (w + 720) * 3600 }')

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
    -e "s/[0-9][0-9.]*\(\]*  # mifit: no_data_range_s\)\$/$NO_DATA_RANGE_S\1/" \
    -e "/  # mifit-window: no_data_hours\$/s/\(moving_average([^,]*, \)[0-9][0-9]*)/\1$NO_DATA_WINDOW_H)/" \
    -e "s/[0-9][0-9.]*\(\]*  # mifit: odi_max\)\$/$ODI_MAX\1/" \
    -e "s/[0-9][0-9.]*\(\]*  # mifit: spo2_min_pct\)\$/$SPO2_MIN_PCT\1/" \
    -e "s/[0-9][0-9.]*\(\]*  # mifit: hrv_drop_pct\)\$/$HRV_DROP_PCT\1/" \
    -e "/  # mifit: hrv_drop_pct\$/s/[\$]D >= [0-9][0-9]*/\$D >= $HRV_DAYS/" \
    -e "s/[0-9][0-9.]*\(\]*  # mifit: hrv_range_s\)\$/$HRV_RANGE_S\1/" \
    -e "/  # mifit-nights: hrv_days\$/s/LIMIT [0-9][0-9]*/LIMIT $HRV_DAYS/" \
    "$f"
done

# Contact point and notification policy. Grafana keeps what a provisioning file once created
# until a file deletes it, so:
# - a destination set: contact point mifit-sync with its receivers, a policy routing every alert
#   to it, and the deletion of the receiver that is not set (deleting an absent uid is a no-op);
# - neither set, after a start that provisioned one (or on the first start of this script):
#   reset the policy tree to Grafana's default and delete both receivers. Grafana resets
#   policies before it deletes contact points, so the deletion never hits a referenced one;
# - neither set, and the last start provisioned none: nothing, so a policy or contact point
#   made in Grafana's UI survives restarts.
# The file may hold a webhook URL with a secret in it: it is private to the container user.
WEBHOOK=${ALERT_WEBHOOK_URL:-}
EMAIL=${ALERT_EMAIL_TO:-}
CP="$OUT/alerting/contact-points.yaml"
LAST_FILE="$STATE/mifit-notifications"
LAST=$(cat "$LAST_FILE" 2>/dev/null || echo unknown)
# remember STATE: what this start provisioned (not fatal when the data dir is read-only: the
# next start then resets again, the safe side).
remember() {
  if ! (umask 077 && printf '%s\n' "$1" > "$LAST_FILE") 2>/dev/null; then
    log "cannot write $LAST_FILE; the notification policy will be reset on the next start too"
  fi
}
delete_receivers() {
  echo 'deleteContactPoints:'
  for uid in "$@"; do
    echo '  - orgId: 1'
    echo "    uid: $uid"
  done
}
if [ -n "$WEBHOOK" ] || [ -n "$EMAIL" ]; then
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
      if [ -z "$WEBHOOK" ]; then echo ''; delete_receivers mifit-webhook; fi
      if [ -z "$EMAIL" ]; then echo ''; delete_receivers mifit-email; fi
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
  remember provisioned
  log "contact point mifit-sync provisioned ($( [ -n "$WEBHOOK" ] && printf 'webhook ')$( [ -n "$EMAIL" ] && printf 'email'))"
elif [ "$LAST" != "none" ]; then
  {
    echo 'apiVersion: 1'
    echo ''
    echo 'resetPolicies:'
    echo '  - 1'
    echo ''
    delete_receivers mifit-webhook mifit-email
  } > "$CP"
  remember none
  log "no ALERT_WEBHOOK_URL / ALERT_EMAIL_TO: notification policy reset to Grafana's default, contact point mifit-sync removed; alerts show in Grafana's alert list only"
else
  log "no ALERT_WEBHOOK_URL / ALERT_EMAIL_TO: alerts show in Grafana's alert list only"
fi

# First-start admin password. Grafana applies GF_SECURITY_ADMIN_PASSWORD only when it creates
# the admin user, on its first start with an empty database. With GRAFANA_ADMIN_PASSWORD unset
# (empty) and no database yet, a random password is generated, kept (0600) in the data volume
# and its location logged, never the password itself. An existing database keeps its password.
PW_FILE="$STATE/mifit-admin-password"
if [ -z "${GF_SECURITY_ADMIN_PASSWORD:-}" ]; then
  unset GF_SECURITY_ADMIN_PASSWORD
  if [ -s "$PW_FILE" ]; then
    GF_SECURITY_ADMIN_PASSWORD=$(cat "$PW_FILE")
    export GF_SECURITY_ADMIN_PASSWORD
    log "Grafana admin password: the one generated on the first start, in $PW_FILE"
  elif [ -e "$STATE/grafana.db" ]; then
    log "Grafana admin password: unchanged (existing database; GRAFANA_ADMIN_PASSWORD applies only to a new one)"
  else
    PW=$(LC_ALL=C tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 24 || true)
    if [ "${#PW}" -ne 24 ] || ! (umask 077 && printf '%s\n' "$PW" > "$PW_FILE") 2>/dev/null; then
      log "cannot create the admin password in $PW_FILE (is the data directory writable?); set GRAFANA_ADMIN_PASSWORD in .env"
      exit 1
    fi
    GF_SECURITY_ADMIN_PASSWORD=$PW
    export GF_SECURITY_ADMIN_PASSWORD
    log "Grafana admin password generated for user ${GF_SECURITY_ADMIN_USER:-admin}: read it with  docker compose exec grafana cat $PW_FILE"
  fi
fi

export GF_PATHS_PROVISIONING="$OUT"
if [ "${MIFIT_RENDER_ONLY:-}" = "1" ]; then exit 0; fi
exec /run.sh "$@"
