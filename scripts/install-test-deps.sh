#!/usr/bin/env bash
# Installs, from Debian's packages, what the test suite needs beyond a JDK 17 and Maven:
# PostgreSQL (server binaries; tests start a cluster of their own), pyvo and STILTS (real UWS clients),
# xmllint, graphviz and python3-prov (provenance validators), Chromium and its chromedriver (the browser view, the job manager driven by Selenium), SLURM (munge, slurmctld,
# slurmd, the commands, slurmrestd and its JWT plugin; scripts/slurm.sh starts a one-node cluster of its own), curl (the SLURM
# batch script's completion callbacks; scripts/slurm.sh's readiness check). Idempotent; needs root (or sudo).
set -euo pipefail
PKGS=(postgresql python3-pyvo stilts libxml2-utils graphviz python3-prov python3-jsonschema python3-lxml python3-pydot chromium chromium-driver procps
      munge slurmctld slurmd slurm-client slurmrestd slurm-wlm-jwt-plugin curl)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
