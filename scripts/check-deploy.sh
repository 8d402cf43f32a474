#!/usr/bin/env bash
# `make check-deploy`: the gateway, deployment and alerting files, checked.
#   1. gateway   tools/deploy-check/gateway.mjs: gateway-config/apisix.yaml with
#                APISIX's matching rules: every public operation reaches its
#                service, the web app and /health are routed, nothing else is;
#                the limits, CORS, real-IP and metrics settings.
#   2. deploy    tools/deploy-check/deploy.mjs: every HCL file of nomad/, consul/
#                and vault/ through HashiCorp's parser, and the rules a reviewer
#                checks; docker-compose.yml against the Compose Specification.
#   3. alerts    promtool check rules + promtool test rules
#                (observability/prometheus/alerts.yml, alerts.test.yml), and the
#                metrics the rules use against what the services export.
#   4. scrape    promtool check config on observability/prometheus.yml (a
#                file_sd variant: Debian's promtool has no consul_sd).
#   5. selftest  tools/deploy-check/selftest.mjs: each check run on a copy
#                with one defect put back must fail (skip: CHECK_DEPLOY_SELFTEST=0).
# Runs every step and exits non-zero when one failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/ensure-deploytools.sh || exit 1
status=0
step() {
    local name=$1; shift
    local t0=$SECONDS
    if "$@"; then
        echo "check-deploy: $name ok ($((SECONDS - t0)) s)"
    else
        echo "check-deploy: $name FAILED" >&2
        status=1
    fi
}
prom_check() {
    rm -rf target/deploy-check/prom
    node tools/deploy-check/prometheus-variant.mjs --out target/deploy-check/prom &&
        promtool check config target/deploy-check/prom/prometheus.yml
}

step gateway node tools/deploy-check/gateway.mjs
step deploy node tools/deploy-check/deploy.mjs
step alert-rules promtool check rules observability/prometheus/alerts.yml
step alert-tests promtool test rules observability/prometheus/alerts.test.yml
step alert-metrics node tools/deploy-check/metrics.mjs
step scrape-config prom_check
if [[ ${CHECK_DEPLOY_SELFTEST:-1} != 0 ]]; then
    step selftest node tools/deploy-check/selftest.mjs
fi
exit $status
