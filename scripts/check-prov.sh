#!/usr/bin/env bash
# Checks one provenance document of the project, written as PROV-JSON and PROV-XML (and optionally as VOTable),
# with validators that know nothing of the project: xmllint against the official W3C PROV-XML and IVOA VOTable
# schemas of scripts/schemas/, the PROV-JSON schema (python3-jsonschema), python3-prov parsing, lost references,
# time zones, JSON == XML, round trips, PROV-N and SVG (scripts/prov_check.py does the work).
# usage: bash scripts/check-prov.sh DOC.json DOC.xml [DOC.vot.xml] [WORK_DIR]
# Prints one "ok ..." or "FAIL ...: why" line per check and ends with "prov check: N ok, N failed"; exits 0 only
# when nothing failed. Needs libxml2-utils, graphviz, python3-prov, python3-jsonschema, python3-lxml, python3-pydot
# (scripts/install-test-deps.sh installs them). Reads nothing but this repository and the files named.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ $# -lt 2 || $# -gt 4 ]]; then
  sed -n '2,9p' "$0" >&2; exit 2
fi
args=("$here/schemas" "$1" "$2")
[[ -n ${3:-} ]] && args+=(--votable "$3")
[[ -n ${4:-} ]] && args+=(--work "$4")
# Debian's python: python3-prov is installed for it only
exec "${UWSKIT_PYTHON:-/usr/bin/python3}" "$here/prov_check.py" "${args[@]}"
