#!/usr/bin/env bash
# Install (or update) the course's JupyterHub on the cluster kubectl points at, with the pinned
# Zero to JupyterHub chart: the exchange volume (exchange.yaml), then the chart with
# config.yaml, your passwords and your roster. Run it again after changing any of them.
#
#   ROSTER=roster SECRETS=secrets.yaml grader/classroom/z2jh/install.sh
#
# ROSTER: the class, as /etc/passwd lines (roster.example); SECRETS: the Helm values with the
# passwords (grader/README.md, "A larger workshop: Zero to JupyterHub"). NAMESPACE and
# RELEASE name where it goes (default: course, course).
set -euo pipefail
CHART_VERSION=4.4.0
here=$(cd "$(dirname "$0")" && pwd)
namespace=${NAMESPACE:-course}
: "${ROSTER:?set ROSTER to the roster file}" "${SECRETS:?set SECRETS to the passwords file}"
helm repo add jupyterhub https://hub.jupyter.org/helm-chart/ --force-update
kubectl create namespace "$namespace" --dry-run=client -o yaml | kubectl apply -f -
kubectl apply --namespace "$namespace" -f "$here/exchange.yaml"
helm upgrade --install "${RELEASE:-course}" jupyterhub/jupyterhub --version "$CHART_VERSION" \
  --namespace "$namespace" --values "$here/config.yaml" --values "$SECRETS" \
  --set-file hub.extraFiles.roster.stringData="$ROSTER" \
  --set-file singleuser.extraFiles.passwd.stringData="$ROSTER" \
  --set-file singleuser.extraFiles.nbgrader-config.stringData="$here/../nbgrader_config.py" \
  --wait --timeout 10m
