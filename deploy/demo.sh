#!/usr/bin/env bash
# The newcomer's first command (`npm run demo`): system packages, npm packages, build, a local
# cluster, and the example app applied with the real kubectl.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then
  bash deploy/install-deps.sh
elif ! bash deploy/install-deps.sh; then
  echo "run this once as root (or: sudo bash deploy/install-deps.sh), then npm run demo again" >&2
  exit 1
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build --silent

node bin/k8ts.js up "$@"
KUBECONFIG="${K8TS_DATA_DIR:-$HOME/.k8ts}/kubeconfig"
export KUBECONFIG
echo
echo "$ kubectl apply -f examples/web.yaml"
kubectl apply -f examples/web.yaml
echo
echo "$ kubectl rollout status deploy/web"
kubectl rollout status deploy/web --timeout=90s
echo
echo "$ kubectl get pods -o wide"
kubectl get pods -o wide
echo
echo "The cluster keeps running. Try: export KUBECONFIG=$KUBECONFIG; kubectl describe pod crasher"
echo "Stop it with: npx k8ts down"
