// Every metric the alert rules query, against what is exported: the
// `messenger_*` names in the Rust sources (crates/, services/), names agreed but
// not exported yet (PENDING), RabbitMQ's
// (rabbitmq_prometheus) and APISIX's own, Prometheus's `up` and the rules'
// own recordings. An unknown name (a typo, a renamed metric) fails; pending
// ones are listed. (The dashboards' queries are not read here.)
//
//   node metrics.mjs [--root DIR]

import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const argv = process.argv.slice(2);
const ROOT = argv.includes("--root") ? argv[argv.indexOf("--root") + 1] : join(dirname(fileURLToPath(import.meta.url)), "..", "..");

// Names agreed but not exported yet (none left since issue 15, part 2 landed):
// list them here while a rule runs ahead of the code.
const PENDING = new Set([]);
// Exported by RabbitMQ (/metrics/detailed?family=queue_coarse_metrics) and Prometheus itself.
const EXTERNAL = new Set(["up", "rabbitmq_detailed_queue_messages_ready", "rabbitmq_detailed_queue_messages", "rabbitmq_detailed_queue_messages_unacked"]);

const walk = (d) => (existsSync(d) ? readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? (f === "target" ? [] : walk(join(d, f))) : [join(d, f)])) : []);
const exported = new Set();
// Names built with format! (`messenger_grpc_{side}_requests_total`) as patterns.
const exportedPatterns = [];
for (const f of [...walk(join(ROOT, "crates")), ...walk(join(ROOT, "services"))].filter((f) => f.endsWith(".rs")))
  for (const m of readFileSync(f, "utf8").matchAll(/"(messenger_[a-z0-9_{}]+)"/g)) {
    if (m[1].includes("{")) exportedPatterns.push(new RegExp(`^${m[1].replace(/\{[a-z_]*\}/g, "[a-z]+")}$`));
    else exported.add(m[1]);
  }
const isExported = (n) => exported.has(n) || exportedPatterns.some((re) => re.test(n));

const rules = YAML.parse(readFileSync(join(ROOT, "observability/prometheus/alerts.yml"), "utf8"));
const recorded = new Set(rules.groups.flatMap((g) => g.rules.filter((r) => r.record).map((r) => r.record)));
const KEYWORDS = new Set(["sum", "max", "min", "count", "avg", "by", "without", "on", "ignoring", "and", "or", "unless", "rate", "increase", "delta", "deriv", "offset", "histogram_quantile", "group_left", "group_right", "bool", "le", "abs", "absent", "clamp_min", "clamp_max", "topk", "bottomk", "time", "vector", "scalar"]);
const used = new Map();
for (const g of rules.groups)
  for (const r of g.rules) {
    const expr = r.expr.replace(/\b\d+(ms|[smhdwy])\b/g, "0").replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\{[^}]*\}/g, "{}").replace(/\[[^\]]*\]/g, "[]");
    // Label names in by (...)/on (...) are not metrics.
    const names = expr.replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, "").match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
    for (const n of names) if (!KEYWORDS.has(n) && !/^\d/.test(n)) used.set(n, [...(used.get(n) ?? []), r.alert ?? r.record]);
  }

const base = (n) => n.replace(/_(bucket|count|sum)$/, "");
const failures = [];
const pending = [];
const seen = [];
for (const [n, where] of [...used].sort()) {
  if (recorded.has(n)) continue;
  const b = base(n);
  if (isExported(n) || isExported(b)) seen.push(n);
  else if (PENDING.has(n) || PENDING.has(b)) pending.push(n);
  else if (EXTERNAL.has(n)) seen.push(n);
  else failures.push(`FAIL ${n} (used by ${[...new Set(where)].join(", ")}) is exported by nothing known`);
}
console.log(`metrics: alert rules use ${seen.length + pending.length} metrics: exported ${seen.join(", ")}`);
if (pending.length) console.log(`metrics: not exported yet (issue 15, part 2): ${pending.join(", ")}`);
if (failures.length) {
  for (const f of failures) console.log(f);
  process.exit(1);
}
