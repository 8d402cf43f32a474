// Shows that every check of `make check-deploy` can fail: for each defect
// below (most of them the ones the checks were written for, found in the
// files before issue 15), copies the checked files to a temporary tree, puts
// the defect in, runs the check on the copy and expects it to fail with the
// given message. A defect the checks let through fails this test.
//
//   node selftest.mjs [--only SUBSTRING]

import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { spawnSync } from "node:child_process";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");
const argv = process.argv.slice(2);
const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : null;
const COPY = ["gateway-config", "nomad", "consul", "vault", "services", "crates", "proto", "frontend/public", "observability", "docker-compose.yml"];

const node = (script) => (dir) => spawnSync(process.execPath, [join(HERE, script), "--root", dir], { encoding: "utf8", env: { ...process.env, COMPOSE_SPEC: process.env.COMPOSE_SPEC ?? findSpec() } });
const promtoolTest = (dir) => spawnSync("promtool", ["test", "rules", join(dir, "observability/prometheus/alerts.test.yml")], { encoding: "utf8" });
const promtoolConfig = (dir) => {
  const out = join(dir, "prom-variant");
  const v = spawnSync(process.execPath, [join(HERE, "prometheus-variant.mjs"), "--root", dir, "--out", out], { encoding: "utf8" });
  if (v.status !== 0) return v;
  return spawnSync("promtool", ["check", "config", join(out, "prometheus.yml")], { encoding: "utf8" });
};
function findSpec() {
  return [join(ROOT, "../shared/schemas/compose-spec.json"), "/work/shared/schemas/compose-spec.json"].find(existsSync);
}
const gateway = node("gateway.mjs");
const deploy = node("deploy.mjs");
const metrics = node("metrics.mjs");

// [name, file, edit (text → text), check, expected output (regex)]
const DEFECTS = [
  // gateway
  ["message regex catches /chats/by-name/messages", "gateway-config/apisix.yaml", (s) => s.replace("(?!by-name/)[^/]+", "[^/]+"), gateway, /GET \/chats\/by-name\/messages: routed by chorus-message/],
  ["per-token limit on a route as well", "gateway-config/apisix.yaml", (s) => s.replace("    upstream_id: chorus-chat-http\n    plugins:\n", "    upstream_id: chorus-chat-http\n    plugins:\n      limit-req: {rate: 60, burst: 120, key_type: var, key: http_authorization, nodelay: true, rejected_code: 429}\n"), gateway, /limit-req keyed on http_authorization: configured 2 time/],
  ["no per-IP limit", "gateway-config/apisix.yaml", (s) => s.replace("key: remote_addr", "key: server_addr"), gateway, /limit-req keyed on remote_addr: configured 0 time/],
  ["hard-coded CORS origins", "gateway-config/apisix.yaml", (s) => s.replace(/allow_origins: ".*"/, 'allow_origins: "https://chorus.example,https://admin.chorus.example"'), gateway, /hard-codes chorus\.example/],
  ["no real_ip_from", "gateway-config/config.yaml", (s) => s.replace(/    real_ip_header: X-Forwarded-For\n/, ""), gateway, /real_ip_header must be X-Forwarded-For/],
  ["trust every proxy", "gateway-config/config.yaml", (s) => s.replace("${{CHORUS_TRUSTED_PROXIES:=127.0.0.1/32}}", "${{CHORUS_TRUSTED_PROXIES:=0.0.0.0/0}}"), gateway, /must not trust every address/],
  ["catch-all web route", "gateway-config/apisix.yaml", (s) => s.replace("      - /favicon.svg\n", "      - /favicon.svg\n      - /*\n"), gateway, /GET \/metrics: routed by chorus-web/],
  ["an /api alias missing", "gateway-config/apisix.yaml", (s) => s.replace("      - /api/files/*\n", ""), gateway, /GET \/api\/files\/42\/download: not routed/],
  ["an internal path routed", "gateway-config/apisix.yaml", (s) => s.replace("      - /settings\n", "      - /settings\n      - /health/live\n"), gateway, /GET \/health\/live: routed by chorus-auth/],
  ["gRPC routed", "gateway-config/apisix.yaml", (s) => s.replace("      - /settings\n", "      - /settings\n      - /chorus.auth.v1.Keys/*\n"), gateway, /POST \/chorus\.auth\.v1\.Keys\/\w+: routed by chorus-auth/],
  ["no gateway /health", "gateway-config/apisix.yaml", (s) => s.replace("      - /health\n    methods", "      - /healthz\n    methods"), gateway, /GET \/health: not routed/],
  ["metrics on the public port", "gateway-config/config.yaml", (s) => s.replace("port: 9091", "port: 9080"), gateway, /export_addr must be a port of its own/],
  ["RabbitMQ not scraped", "observability/prometheus.yml", (s) => s.replace(/15692/g, "15691"), gateway, /does not scrape RabbitMQ/],
  ["no #END", "gateway-config/apisix.yaml", (s) => s.replace(/#END\s*$/, ""), gateway, /must end with #END/],
  // Nomad, Consul, Vault
  ["HCL syntax error", "nomad/chat.nomad.hcl", (s) => s.replace('job "chorus-chat" {', 'job "chorus-chat" {{'), deploy, /chat\.nomad\.hcl: HCL does not parse/],
  ["gRPC port published", "nomad/message.nomad.hcl", (s) => s.replace('      port "http" {\n        to = 8083\n      }', '      port "http" {\n        to = 8083\n      }\n      port "grpc" {\n        to = 50053\n      }'), deploy, /network port "grpc" publishes the gRPC port/],
  ["gRPC bound to every interface", "nomad/chat.nomad.hcl", (s) => s.replace('"127.0.0.1:50052"', '"0.0.0.0:50052"'), deploy, /CHORUS_CHAT__GRPC_ADDR is 0\.0\.0\.0:50052/],
  ["TCP check instead of grpc", "nomad/auth.nomad.hcl", (s) => s.replace('type         = "grpc"', 'type         = "tcp"'), deploy, /chorus-auth-grpc still has a TCP check/],
  ["compose registration: TCP check", "consul/compose/chat.hcl", (s) => s.replace(/grpc +=.*/, 'tcp = "172.28.0.11:50052"'), deploy, /chorus-chat-grpc needs a grpc check/],
  ["no shutdown_delay", "nomad/chat.nomad.hcl", (s) => s.replace(/\n    shutdown_delay = "5s"\n/, "\n"), deploy, /group chat: shutdown_delay missing/],
  ["no auto_revert", "nomad/auth.nomad.hcl", (s) => s.replace("auto_revert       = true", "auto_revert       = false"), deploy, /chorus-auth\): update\.auto_revert must be true/],
  ["an upstream missing", "nomad/edge.nomad.hcl", (s) => s.replace(/            upstreams \{\n              destination_name = "chorus-presence-grpc"\n              local_bind_port  = \d+\n            \}\n/, ""), deploy, /group edge: Connect upstreams .* ≠ the \*_grpc_url keys/],
  ["a URL beside its upstream", "nomad/message.nomad.hcl", (s) => s.replace('CHORUS_MESSAGE__AUTH_GRPC_URL = "http://127.0.0.1:51051"', 'CHORUS_MESSAGE__AUTH_GRPC_URL = "http://127.0.0.1:50051"'), deploy, /CHORUS_MESSAGE__AUTH_GRPC_URL is http:\/\/127\.0\.0\.1:50051/],
  ["an intention missing", "consul/message-grpc.service-intentions.hcl", (s) => s.replace('  { Name = "chorus-edge-http", Action = "allow" },\n', ""), deploy, /chorus-message-grpc allows .* its callers/],
  ["an intention too many", "consul/media-grpc.service-intentions.hcl", (s) => s.replace('Sources = [\n', 'Sources = [\n  { Name = "chorus-edge-http", Action = "allow" },\n'), deploy, /chorus-media-grpc allows .*chorus-edge-http/],
  ["the object store's intention missing", "consul/minio.service-intentions.hcl", (s) => s.replace('Name   = "chorus-media-http"', 'Name   = "chorus-media-grpc"'), deploy, /upstream minio has no Consul intention allowing chorus-media-http/],
  ["legacy Vault policies", "nomad/media.nomad.hcl", (s) => s.replace('role        = "chorus-media"', 'policies    = ["chorus-media"]'), deploy, /vault\.policies is the legacy token flow/],
  ["a policy reading another service's secrets", "vault/policies/chorus-chat.hcl", (s) => s + '\npath "secret/data/chorus/auth" {\n  capabilities = ["read"]\n}\n', deploy, /chorus-chat\.hcl grants secret\/data\/chorus\/auth/],
  ["a role with two policies", "vault/roles/chorus-edge.json", (s) => s.replace('"token_policies": ["chorus-edge"]', '"token_policies": ["chorus-edge", "chorus-auth"]'), deploy, /chorus-edge\.json: token_policies must be exactly/],
  // compose
  ["compose: major-only tag", "docker-compose.yml", (s) => s.replace("redis:7.4.1-bookworm", "redis:7"), deploy, /compose redis: image redis:7: a major-only/],
  ["compose: latest", "docker-compose.yml", (s) => s.replace(/minio\/minio:RELEASE[^\n]*/, "minio/minio:latest"), deploy, /compose minio: image minio\/minio:latest is not pinned/],
  ["compose: no ip_range", "docker-compose.yml", (s) => s.replace(/\n *ip_range: .*/, ""), deploy, /compose auth: fixed address 172\.28\.0\.10 can be taken/],
  ["compose: chorus image pulled", "docker-compose.yml", (s) => s.replace(/    pull_policy: never.*\n/, ""), deploy, /compose chat: image chorus:dev is built here; needs build or pull_policy/],
  ["compose: not the Compose Specification", "docker-compose.yml", (s) => s.replace("pull_policy: build", "pull_policy: sometimes"), deploy, /docker-compose\.yml\/services\/auth\/pull_policy/],
  // alerts and scrape config
  ["alert: outbox threshold too lax", "observability/prometheus/alerts.yml", (s) => s.replace("messenger_outbox_oldest_age_seconds) > 60", "messenger_outbox_oldest_age_seconds) > 6000"), promtoolTest, /alertname: ChorusOutboxStalled/],
  ["alert: 4xx counted as errors", "observability/prometheus/alerts.yml", (s) => s.replaceAll('status=~"5.."', 'status=~"[45].."'), promtoolTest, /alertname: ChorusErrorBudget/],
  ["alert: a DLQ counted as backlog", "observability/prometheus/alerts.yml", (s) => s.replaceAll('{queue!~".*\\\\.dlq"}', ""), promtoolTest, /alertname: ChorusConsumerLagging/],
  ["alert: a metric nobody exports", "observability/prometheus/alerts.yml", (s) => s.replace("max by (service) (messenger_outbox_backlog)", "max by (service) (messenger_outbox_backlog_size)"), metrics, /messenger_outbox_backlog_size .* is exported by nothing known/],
  ["scrape config invalid", "observability/prometheus.yml", (s) => s.replace("regex: chorus-(.+)-http\n        action: keep", "regex: chorus-(.+-http\n        action: keep"), promtoolConfig, /error parsing regexp|FAILED/],
];

let failed = 0;
let ran = 0;
for (const [name, file, edit, run, expect] of DEFECTS) {
  if (only && !name.includes(only)) continue;
  ran++;
  const dir = mkdtempSync(join(tmpdir(), "deploy-selftest-"));
  try {
    for (const p of COPY) if (existsSync(join(ROOT, p))) cpSync(join(ROOT, p), join(dir, p), { recursive: true, filter: (src) => !/\/(target|node_modules)(\/|$)/.test(src) });
    const target = join(dir, file);
    const before = readFileSync(target, "utf8");
    const after = edit(before);
    if (after === before) {
      console.log(`FAIL ${name}: the defect could not be put into ${file} (the file changed? update selftest.mjs)`);
      failed++;
      continue;
    }
    writeFileSync(target, after);
    const r = run(dir);
    const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    if (r.status === 0) {
      console.log(`FAIL ${name}: the check passed on ${file} with the defect`);
      failed++;
    } else if (!expect.test(out)) {
      console.log(`FAIL ${name}: the check failed, but not with ${expect}:\n${out.split("\n").slice(0, 8).join("\n")}`);
      failed++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`selftest: ${ran - failed} of ${ran} defects caught`);
process.exit(failed ? 1 : 0);
