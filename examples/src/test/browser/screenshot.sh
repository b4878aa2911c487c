#!/bin/sh
# Renders the example server's job list and job pages in headless Chromium (through the servlet's XSLT) and saves
# screenshots. Not part of `mvn verify`: run it by hand after `mvn -pl examples package`.
#
#   examples/src/test/browser/screenshot.sh [OUTPUT_DIR]     (default: examples/target/screenshots)
#
# It starts the shaded jar on a free port, creates one finished demo job and one pending job, takes the
# screenshots, checks that the rendered DOM contains the job ids (so the XSLT really ran), then stops the server.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/../../.." && pwd)
jar="$module/target/uwskit-examples.jar"
out=${1:-"$module/target/screenshots"}
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -f "$jar" ] || { echo "missing $jar: run mvn -pl examples package first" >&2; exit 2; }
[ -x "$chromium" ] || { echo "missing $chromium (apt-get install chromium)" >&2; exit 2; }
mkdir -p "$out"
work=$(mktemp -d)
log="$work/server.log"
java -jar "$jar" --port 0 --data "$work/data" > "$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
i=0
until grep -q '^ready' "$log"; do
  i=$((i + 1)); [ "$i" -le 300 ] || { echo "server not ready:" >&2; cat "$log" >&2; exit 1; }
  kill -0 "$pid" 2>/dev/null || { echo "server died:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.1
done
demo=$(sed -n 's/^job list demo: //p' "$log")
done_job=$(curl -s -o /dev/null -w '%{redirect_url}' -d SECONDS=0 -d MESSAGE=screenshot -d PHASE=RUN "$demo")
pending_job=$(curl -s -o /dev/null -w '%{redirect_url}' -d SECONDS=5 "$demo")
i=0
until [ "$(curl -s "$done_job/phase")" = COMPLETED ]; do
  i=$((i + 1)); [ "$i" -le 30 ] || { echo "job $done_job did not complete" >&2; exit 1; }
  curl -s -o /dev/null "$done_job?WAIT=1"
done
shot() {
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,900 \
    --screenshot="$out/$1.png" "$2" > "$work/chromium-$1.log" 2>&1
  "$chromium" --headless --no-sandbox --disable-gpu --dump-dom "$2" > "$out/$1.html" 2>> "$work/chromium-$1.log"
  echo "$1: $2 -> $out/$1.png"
}
shot joblist "$demo"
shot job "$done_job"
status=0
for id in "${done_job##*/}" "${pending_job##*/}"; do
  grep -q "$id" "$out/joblist.html" || { echo "rendered job list lacks job $id" >&2; status=1; }
done
grep -q '<html' "$out/joblist.html" || { echo "the job list was not turned into HTML (no XSLT?)" >&2; status=1; }
grep -q 'COMPLETED' "$out/job.html" || { echo "rendered job page lacks COMPLETED" >&2; status=1; }
exit $status
