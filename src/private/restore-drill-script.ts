/**
 * The restore drill's script (POSIX sh, run by the drill's CronJob in a kubectl image). It deletes a restore left
 * by an interrupted run, creates the restore from the manifest with the target time filled in, waits for the
 * Cluster to be Ready until the deadline, runs the probe on its primary, records the result in the termination
 * log, and deletes the restore on every way out (success, failure, deadline, SIGTERM from the Job's
 * activeDeadlineSeconds). Every loop is bounded by the deadline; it needs only get/create/delete on its Cluster,
 * get on its pod and create on its pod's exec.
 *
 * Environment: DRILL_NAMESPACE, DRILL_RESTORE_NAME, DRILL_POD, DRILL_DATABASE, DRILL_PROBE_SQL,
 * DRILL_MINIMUM_ROWS (optional), DRILL_DEADLINE_SECONDS, DRILL_RECOVERY_AGE_SECONDS, DRILL_MANIFEST,
 * DRILL_POLL_SECONDS (default 10), DRILL_RESULT_FILE (default /dev/termination-log).
 */
export const RESTORE_DRILL_SCRIPT = `#!/bin/sh
# cdk8s-cnpg restore drill: restore to now minus N minutes, wait, probe, always delete.
set -u
ns="$DRILL_NAMESPACE"
name="$DRILL_RESTORE_NAME"
poll="\${DRILL_POLL_SECONDS:-10}"
result_file="\${DRILL_RESULT_FILE:-/dev/termination-log}"
started=$(date +%s)
deadline=$((started + DRILL_DEADLINE_SECONDS))

log() { printf '%s restore-drill: %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
record() { log "$*"; printf '%s\\n' "$*" > "$result_file" 2>/dev/null || true; }
remaining() { r=$((deadline - $(date +%s))); [ "$r" -gt 0 ] && echo "$r" || echo 0; }
k() { kubectl --namespace "$ns" --request-timeout=60s "$@"; }

cleanup() {
  status=$?
  trap - EXIT INT TERM
  deleted=""
  for attempt in 1 2 3; do
    if k delete cluster.postgresql.cnpg.io "$name" --ignore-not-found --wait=false; then deleted=yes; break; fi
    log "deleting $name failed (attempt $attempt of 3)"
    sleep 2
  done
  if [ -z "$deleted" ]; then
    log "could not delete the restore $name: delete it by hand (kubectl -n $ns delete cluster.postgresql.cnpg.io $name)"
    status=1
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'record "FAILED: stopped by a signal (the job deadline?) after $(( $(date +%s) - started ))s"; exit 143' INT TERM

# A restore left by an interrupted run: delete it and wait until it is gone.
if [ -n "$(k get cluster.postgresql.cnpg.io "$name" --ignore-not-found -o name)" ]; then
  log "deleting $name left by an earlier run"
  k delete cluster.postgresql.cnpg.io "$name" --ignore-not-found --wait=false || { record "FAILED: could not delete the leftover restore $name"; exit 1; }
  while [ -n "$(k get cluster.postgresql.cnpg.io "$name" --ignore-not-found -o name)" ]; do
    [ "$(remaining)" -gt 0 ] || { record "FAILED: the leftover restore $name was not gone before the deadline"; exit 1; }
    sleep "$poll"
  done
fi

target=$(date -u -d "@$((started - DRILL_RECOVERY_AGE_SECONDS))" '+%Y-%m-%d %H:%M:%S.000000+00:00')
log "restoring as $name to $target"
sed "s/__DRILL_TARGET_TIME__/$target/" "$DRILL_MANIFEST" | k create -f - || { record "FAILED: could not create the restore $name"; exit 1; }

while :; do
  ready=$(k get cluster.postgresql.cnpg.io "$name" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null || true)
  [ "$ready" = "True" ] && break
  if [ "$(remaining)" -le 0 ]; then
    phase=$(k get cluster.postgresql.cnpg.io "$name" -o 'jsonpath={.status.phase}' 2>/dev/null || true)
    record "FAILED: $name was not Ready within \${DRILL_DEADLINE_SECONDS}s (phase: \${phase:-unknown})"
    exit 1
  fi
  sleep "$poll"
done
log "$name is Ready after $(( $(date +%s) - started ))s"

primary=$(k get cluster.postgresql.cnpg.io "$name" -o 'jsonpath={.status.currentPrimary}' 2>/dev/null || true)
if [ "$primary" != "$DRILL_POD" ]; then
  record "FAILED: the primary of $name is \${primary:-unknown}, the drill may only exec into $DRILL_POD"
  exit 1
fi
if ! out=$(timeout "$(( $(remaining) + 60 ))" kubectl --namespace "$ns" exec "$primary" -c postgres -- psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DRILL_DATABASE" -c "$DRILL_PROBE_SQL"); then
  record "FAILED: the probe query failed on $name"
  exit 1
fi
rows=$(printf '%s' "$out" | grep -c '' || true)
if [ -n "\${DRILL_MINIMUM_ROWS:-}" ] && [ "$rows" -lt "$DRILL_MINIMUM_ROWS" ]; then
  record "FAILED: the probe returned $rows row(s), expected at least $DRILL_MINIMUM_ROWS"
  exit 1
fi
record "OK: restored to $target in $(( $(date +%s) - started ))s; the probe returned $rows row(s)"
exit 0
`;
