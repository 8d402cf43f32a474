// The gateway test of `make check-deploy`: reads gateway-config/apisix.yaml (and
// config.yaml), matches requests the way APISIX 3.13 does, and checks that
//
//   * every public operation of the API (target/openapi.json when it exists,
//     else the `#[utoipa::path]` annotations it is generated from) reaches the
//     upstream of the service that declares it, at the root and under `/api`,
//     with the path the service expects (the alias stripped);
//   * the web-app routes of CONTRACT §15.4, the downloads, the built assets, `/ws`,
//     the presigned-URL prefix and the gateway's own `/health` are routed;
//   * nothing else is: `/metrics`, `/health/live`, `/openapi.json`, every gRPC
//     method of proto/ (and grpc.health.v1), the gateway's own metrics path;
//   * the edge rules of CONTRACT §20: one per-IP and one per-Authorization
//     limit-req, both global; CORS origins from `${{VAR}}` matching compose's
//     default domain; the real client address taken from the load balancer
//     (config.yaml); the prometheus plugin on a private port and scraped.
//
// Matching follows lua-resty-radixtree as APISIX uses it (router
// `radixtree_host_uri`, no hosts in this file): exact paths first, then prefix
// paths (`/x/*`, longest prefix first); among routes on the same path, higher
// `priority` first; a route matches when its methods and its `vars`
// (lua-resty-expr: ==, ~=, ~~, ~*, in, has, !) hold. `proxy-rewrite.regex_uri`
// gives the path the upstream sees.
//
//   node gateway.mjs [--root DIR] [--apisix FILE] [--config FILE] [--compose FILE]
//                    [--prometheus FILE] [--openapi FILE]
// (DIR: the tree to check, default the repository; the files default to DIR's.)
// Exit status 1 with one line per failure.

import { readFileSync, existsSync, readdirSync, statSync } from "node:fs";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const ROOT = args.root ?? join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const file = (name, dflt) => args[name] ?? join(ROOT, dflt);
const APISIX = file("apisix", "gateway-config/apisix.yaml");
const CONFIG = file("config", "gateway-config/config.yaml");
const COMPOSE = file("compose", "docker-compose.yml");
const PROMETHEUS = file("prometheus", "observability/prometheus.yml");
const OPENAPI = file("openapi", "target/openapi.json");

const failures = [];
const fail = (msg) => failures.push(msg);
let checks = 0;
const check = (cond, msg) => {
  checks++;
  if (!cond) fail(msg);
  return cond;
};

// ---------------------------------------------------------------- env (compose)

// The environment compose gives the apisix container, defaults resolved
// (`${VAR:-default}`), so the `${{VAR:=default}}` of apisix.yaml are resolved the
// way `docker compose up` would with no .env.
function composeEnv(service) {
  const compose = YAML.parse(readFileSync(COMPOSE, "utf8"));
  const env = compose?.services?.[service]?.environment ?? {};
  const pairs = Array.isArray(env) ? env.map((e) => e.split(/=(.*)/s).slice(0, 2)) : Object.entries(env);
  const out = {};
  for (const [k, v] of pairs) {
    out[k] = String(v ?? "").replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_, name, dflt) => process.env[name] ?? dflt ?? "");
  }
  return out;
}

// APISIX's own substitution: `${{NAME}}` / `${{NAME:=default}}`.
function resolveApisixVars(text, env) {
  const unresolved = [];
  const out = text.replace(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::=\s*([^}]*?))?\s*\}\}/g, (_, name, dflt) => {
    if (env[name] !== undefined && env[name] !== "") return env[name];
    if (dflt !== undefined) return dflt;
    unresolved.push(name);
    return "";
  });
  return { out, unresolved };
}

// ---------------------------------------------------------------- the matcher

function parseRoutes(conf) {
  const routes = [];
  for (const r of conf.routes ?? []) {
    const uris = r.uris ?? (r.uri ? [r.uri] : []);
    for (const uri of uris) routes.push({ route: r, uri, priority: r.priority ?? 0 });
  }
  return routes;
}

// A radixtree path: exact, prefix (`/x/*`, `/x*`) or with `:param` segments.
function uriMatches(pattern, path) {
  if (pattern.includes(":")) {
    // `:name` matches one segment; a trailing `*` (or `*name`) the rest.
    const re = new RegExp(
      "^" +
        pattern
          .split("/")
          .map((seg) => (seg.startsWith(":") ? "[^/]+" : seg.startsWith("*") ? ".*" : seg.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
          .join("/") +
        "$",
    );
    return re.test(path) ? { kind: "param", len: pattern.indexOf(":") } : null;
  }
  const star = pattern.indexOf("*");
  if (star === -1) return pattern === path ? { kind: "exact", len: pattern.length } : null;
  const prefix = pattern.slice(0, star);
  return path.startsWith(prefix) ? { kind: "prefix", len: prefix.length } : null;
}

function evalExpr(expr, ctx) {
  // A list of conditions, all must hold; a condition is [var, op, value] or
  // [var, "!", op, value]; nested ["OR"/"AND", ...] too.
  if (!Array.isArray(expr) || expr.length === 0) return true;
  if (expr[0] === "OR") return expr.slice(1).some((e) => evalExpr([e], ctx));
  if (expr[0] === "AND") return expr.slice(1).every((e) => evalExpr([e], ctx));
  if (!Array.isArray(expr[0])) return evalCond(expr, ctx);
  return expr.every((c) => (Array.isArray(c) && (c[0] === "OR" || c[0] === "AND") ? evalExpr(c, ctx) : evalCond(c, ctx)));
}

function evalCond(cond, ctx) {
  let [name, op, value] = cond;
  let negate = false;
  if (op === "!") {
    negate = true;
    [, , op, value] = cond;
  }
  const v = varValue(name, ctx);
  let r;
  switch (op) {
    case "==": r = v == value; break;
    case "~=": r = v != value; break;
    case ">": r = Number(v) > Number(value); break;
    case "<": r = Number(v) < Number(value); break;
    case "~~": r = v != null && pcre(value).test(v); break;
    case "~*": r = v != null && pcre(value, "i").test(v); break;
    case "in": r = Array.isArray(value) && value.includes(v); break;
    case "has": r = Array.isArray(v) && v.includes(value); break;
    default: throw new Error(`vars operator ${op} is not implemented by this test`);
  }
  return negate ? !r : r;
}

// ngx.re (PCRE) patterns as JS ones: the constructs used here (classes,
// groups, alternation, lookahead, anchors) mean the same in both.
function pcre(src, flags = "") {
  if (/\(\?[<P]|\\[AZz]|\(\?[imsx]+\)/.test(src)) throw new Error(`PCRE construct not covered by this test: ${src}`);
  return new RegExp(src, flags);
}

function varValue(name, ctx) {
  if (name === "uri") return ctx.path;
  if (name === "request_method") return ctx.method;
  if (name === "remote_addr") return "192.0.2.1";
  if (name.startsWith("http_")) return ctx.headers[name.slice(5).replace(/_/g, "-").toLowerCase()];
  if (name.startsWith("arg_")) return undefined;
  throw new Error(`vars variable ${name} is not implemented by this test`);
}

function match(routes, method, path, headers = {}) {
  const ctx = { method, path, headers };
  const candidates = [];
  for (const r of routes) {
    const m = uriMatches(r.uri, path);
    if (m) candidates.push({ ...r, m });
  }
  // Exact paths first; then the longest prefix; same path: priority.
  const rank = (c) => (c.m.kind === "exact" ? 1e9 : c.m.len);
  candidates.sort((a, b) => rank(b) - rank(a) || b.priority - a.priority);
  for (const c of candidates) {
    const r = c.route;
    if (r.methods && !r.methods.includes(method)) continue;
    if (r.vars && !evalExpr(r.vars, ctx)) continue;
    let upstreamPath = path;
    const pr = r.plugins?.["proxy-rewrite"];
    if (pr?.regex_uri) {
      const [re, rep] = pr.regex_uri;
      const rx = pcre(re);
      if (rx.test(path)) upstreamPath = path.replace(rx, rep.replace(/\$(\d)/g, "$$$1"));
    }
    if (pr?.uri) upstreamPath = pr.uri;
    return { route: r, upstream: r.upstream_id ?? r.upstream?.service_name ?? null, upstreamPath };
  }
  return null;
}

// ---------------------------------------------------------------- the API's operations

// Every `#[utoipa::path(method, path = "...")]` of services/<name>/src: the
// operation and the service that declares (and serves) it.
function sourceOperations() {
  const ops = [];
  const servicesDir = join(ROOT, "services");
  for (const svc of readdirSync(servicesDir)) {
    const walk = (dir) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith(".rs")) {
          const src = readFileSync(p, "utf8");
          for (const m of src.matchAll(/#\[utoipa::path\(([\s\S]*?)\)\]\s*\n/g)) {
            const mm = m[1].match(/^\s*(get|post|put|patch|delete|head|options)\s*,[\s\S]*?\bpath\s*=\s*"([^"]+)"/);
            if (!mm) throw new Error(`${relative(ROOT, p)}: a utoipa::path this test cannot read: ${m[1].slice(0, 80)}`);
            ops.push({ method: mm[1].toUpperCase(), path: mm[2], owner: svc, where: relative(ROOT, p) });
          }
        }
      }
    };
    const src = join(servicesDir, svc, "src");
    if (existsSync(src)) walk(src);
  }
  return ops;
}

function documentOperations() {
  if (!existsSync(OPENAPI)) return null;
  const doc = JSON.parse(readFileSync(OPENAPI, "utf8"));
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ["get", "put", "post", "delete", "patch", "head", "options"]) {
      if (item[method]) ops.push({ method: method.toUpperCase(), path });
    }
  }
  return ops;
}

// Concrete paths for a template: every parameter gets ordinary values, and the
// names that collide with literal segments of other routes where one exists.
const SAMPLES = {
  id: ["42"],
  messageId: ["7"],
  userId: ["9"],
  token: ["inv_3kq9ZpL0xw"],
  username: ["alice", "messages"],
  // Public chat names that are also message-route segments (the old regex
  // sent /chats/by-name/messages to the message service).
  public_name: ["general", "messages", "reactions", "read", "read-receipts", "pinned-message"],
  action: ["block", "unblock", "soft-delete", "toggle-admin"],
};

function expand(template) {
  let paths = [template];
  for (const m of template.matchAll(/\{([^}]+)\}/g)) {
    const values = SAMPLES[m[1]] ?? ["x1"];
    paths = paths.flatMap((p) => values.map((v) => p.replace(m[0], v)));
  }
  return paths;
}

// ---------------------------------------------------------------- run

const env = composeEnv("apisix");
const rawApisix = readFileSync(APISIX, "utf8");
const { out: apisixText, unresolved } = resolveApisixVars(rawApisix, env);
check(unresolved.length === 0, `apisix.yaml: \${{${unresolved.join(", ")}}} without a default and not set by compose`);
check(/\n#END\s*$/.test(rawApisix), "apisix.yaml must end with #END (APISIX standalone mode loads nothing without it)");
const apisix = YAML.parse(apisixText);
const routes = parseRoutes(apisix);
// Route fields this matcher does not model would make its answers wrong: refuse them.
for (const r of apisix.routes ?? [])
  for (const k of ["host", "hosts", "remote_addr", "remote_addrs", "filter_func", "service_id", "plugin_config_id", "script"])
    check(r[k] === undefined, `route ${r.id}: \`${k}\` is not modelled by this test (extend gateway.mjs before using it)`);
for (const k of ["services", "plugin_configs", "consumers", "consumer_groups"]) check(!apisix[k]?.length, `apisix.yaml: \`${k}\` is not modelled by this test`);
const upstreamIds = new Set((apisix.upstreams ?? []).map((u) => u.id));
for (const r of apisix.routes ?? []) {
  if (r.upstream_id) check(upstreamIds.has(r.upstream_id), `route ${r.id}: upstream ${r.upstream_id} is not defined`);
}
const upstreamOf = (id) => (apisix.upstreams ?? []).find((u) => u.id === id);

function expectRouted(method, path, upstream, upstreamPath, why) {
  const m = match(routes, method, path, { authorization: "Bearer t" });
  if (!check(m !== null, `${method} ${path}: not routed (expected ${upstream}; ${why})`)) return;
  check(
    m.upstream === upstream,
    `${method} ${path}: routed by ${m.route.id} to ${m.upstream ?? "no upstream"}, expected ${upstream} (${why})`,
  );
  if (upstreamPath !== undefined && m.upstream === upstream)
    check(m.upstreamPath === upstreamPath, `${method} ${path}: reaches ${upstream} as ${m.upstreamPath}, expected ${upstreamPath}`);
}

function expectUnrouted(method, path, why) {
  const m = match(routes, method, path, { authorization: "Bearer t" });
  check(m === null, `${method} ${path}: routed by ${m?.route.id} to ${m?.upstream}; must not be (${why})`);
}

// 1. The API.
const fromSource = sourceOperations();
const ownerOf = new Map(fromSource.map((o) => [`${o.method} ${o.path}`, o]));
const fromDoc = documentOperations();
let operations;
if (fromDoc) {
  operations = fromDoc;
  for (const o of fromSource)
    check(fromDoc.some((d) => d.method === o.method && d.path === o.path), `${o.method} ${o.path} (${o.where}) is missing from ${relative(ROOT, OPENAPI)} (stale document?)`);
} else {
  console.log(`gateway: ${relative(ROOT, OPENAPI)} not found (make openapi); using the services' #[utoipa::path] annotations`);
  operations = fromSource;
}
// Served by every service for the platform, never through the gateway: the
// gateway answers /health itself (for the load balancer); /metrics and
// /health/live are for Prometheus and the orchestrator on the service port.
const PLATFORM = new Set(["/health", "/health/live", "/metrics", "/openapi.json"]);
let apiSamples = 0;
for (const op of operations) {
  if (PLATFORM.has(op.path)) continue;
  const owner = ownerOf.get(`${op.method} ${op.path}`)?.owner;
  if (!check(owner, `${op.method} ${op.path}: in the document, but no service declares it`)) continue;
  const upstream = `chorus-${owner}-http`;
  for (const path of expand(op.path)) {
    apiSamples++;
    expectRouted(op.method, path, upstream, path, `declared by services/${owner}`);
    if (op.path !== "/ws") expectRouted(op.method, `/api${path}`, upstream, path, `the /api alias of ${op.path}`);
  }
}

// 2. Non-API routes (CONTRACT §15.4) and the edge's own.
const webRoute = (apisix.routes ?? []).find((r) => r.id === "chorus-web");
const webUpstream = webRoute?.upstream_id ?? "chorus-web-http";
check(webRoute, "no route `chorus-web` for the web app (frontend/dist, CONTRACT §15.4)");
const spa = ["/", "/app", "/login", "/register", "/@alice", "/u/alice", "/dm/alice", "/join/inv_3kq9ZpL0xw", "/c/general", "/c/general/5", "/admin", "/admin/users", "/admin/users/5"];
for (const p of spa) for (const m of ["GET", "HEAD"]) expectRouted(m, p, webUpstream, p, "web-app shell, CONTRACT §15.4");
expectRouted("GET", "/downloads/linux/chorus.deb", webUpstream, "/downloads/linux/chorus.deb", "downloads, CONTRACT §15.4");
expectRouted("GET", "/assets/index-3f2a.js", webUpstream, "/assets/index-3f2a.js", "the built web app's assets (vite)");
const publicDir = join(ROOT, "frontend/public");
if (existsSync(publicDir))
  for (const f of readdirSync(publicDir)) expectRouted("GET", `/${f}`, webUpstream, `/${f}`, `frontend/public/${f} is copied to the root of frontend/dist`);
// The SPA never takes writes nor API-looking paths.
expectUnrouted("POST", "/login", "the web app is GET/HEAD only");
expectRouted("GET", "/minio/chorus-uploads/a/b.png", "minio", "/chorus-uploads/a/b.png", "presigned URLs, CONTRACT §13.3");
expectUnrouted("PUT", "/minio/chorus-uploads/a/b.png", "only presigned GETs reach the store");
expectUnrouted("GET", "/api/ws", "the WebSocket has no /api alias");

const health = match(routes, "GET", "/health");
if (check(health, "GET /health: not routed; the load balancer needs the gateway's own health route")) {
  const mock = health.route.plugins?.mocking;
  check(mock && !health.upstream, `GET /health: must be answered by the gateway itself (mocking plugin), not proxied (route ${health.route.id} → ${health.upstream})`);
  check(mock?.response_status === 200 || mock?.response_status === undefined, "GET /health: the gateway must answer 200");
}

// 3. Nothing else.
for (const p of ["/metrics", "/api/metrics", "/health/live", "/api/health/live", "/api/health", "/openapi.json", "/api/openapi.json", "/apisix/prometheus/metrics", "/apisix/status"])
  expectUnrouted("GET", p, "internal: for Prometheus and the orchestrator on the service's own port");
const grpc = ["/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch", "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"];
for (const f of walkFiles(join(ROOT, "proto"), ".proto")) {
  const src = readFileSync(f, "utf8");
  const pkg = src.match(/^package\s+([\w.]+);/m)?.[1];
  for (const s of src.matchAll(/^service\s+(\w+)\s*\{([\s\S]*?)^\}/gm))
    for (const rpc of s[2].matchAll(/\brpc\s+(\w+)/g)) grpc.push(`/${pkg}.${s[1]}/${rpc[1]}`);
}
check(grpc.length > 10, `found only ${grpc.length} gRPC methods in proto/`);
for (const p of grpc) {
  expectUnrouted("POST", p, "gRPC is internal (Connect mesh only)");
  expectUnrouted("POST", `/api${p}`, "gRPC is internal (Connect mesh only)");
}
for (const p of ["/internal/x", "/api/internal/x", "/debug/pprof"]) expectUnrouted("GET", p, "not a public path");

function walkFiles(dir, ext) {
  const out = [];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...walkFiles(p, ext));
    else if (p.endsWith(ext)) out.push(p);
  }
  return out;
}

// 4. Rate limits (CONTRACT §20.1): APISIX keys a limit-req counter per plugin
// configuration, so the per-Authorization bucket must be configured once, in a
// global rule; on N routes a token gets N × 60 r/s.
const limits = [];
for (const g of apisix.global_rules ?? []) if (g.plugins?.["limit-req"]) limits.push({ where: `global rule ${g.id}`, conf: g.plugins["limit-req"], global: true });
for (const r of apisix.routes ?? []) if (r.plugins?.["limit-req"]) limits.push({ where: `route ${r.id}`, conf: r.plugins["limit-req"], global: false });
const byKey = (k) => limits.filter((l) => l.conf.key === k);
for (const [key, rate, burst] of [["remote_addr", 30, 60], ["http_authorization", 60, 120]]) {
  const ls = byKey(key);
  check(ls.length === 1 && ls[0].global, `limit-req keyed on ${key}: configured ${ls.length} time(s) (${ls.map((l) => l.where).join(", ") || "nowhere"}); must be one global rule`);
  for (const l of ls) {
    check(l.conf.rate === rate && l.conf.burst === burst && l.conf.nodelay === true && l.conf.rejected_code === 429, `${l.where}: limit-req on ${key} must be rate ${rate}, burst ${burst}, nodelay, 429`);
    check(l.conf._meta?.error_response?.error === "Too many requests", `${l.where}: 429 body must be {"error":"Too many requests"}`);
  }
}
const authLimit = byKey("http_authorization")[0];
check(JSON.stringify(authLimit?.conf?._meta?.filter ?? []).includes("http_authorization"), "the per-Authorization limit must apply only to requests that carry the header (_meta.filter)");
check(limits.length === 2, `expected exactly two limit-req configurations, found ${limits.length}: ${limits.map((l) => l.where).join(", ")}`);

// 5. CORS (CONTRACT §20.4): the primary and the admin web origin, from the
// environment, matching compose's primary domain.
const corsRule = (apisix.global_rules ?? []).find((g) => g.plugins?.cors);
check(corsRule, "no global cors plugin");
check(!/chorus\.example/.test(rawApisix.replace(/^\s*#.*$/gm, "")), "apisix.yaml hard-codes chorus.example; origins come from ${{VAR}}");
{
  const rawCors = YAML.parse(rawApisix.replace(/^#END\s*$/m, "")).global_rules?.find((g) => g.plugins?.cors)?.plugins.cors.allow_origins ?? "";
  check(/\$\{\{/.test(rawCors), "cors.allow_origins must come from ${{VAR}} (APISIX substitutes the environment)");
  const compose = YAML.parse(readFileSync(COMPOSE, "utf8"));
  const dflt = JSON.stringify(compose).match(/\$\{CHORUS_PRIMARY_DOMAIN:-([^}]*)\}/)?.[1];
  check(dflt, "docker-compose.yml: no ${CHORUS_PRIMARY_DOMAIN:-…} default");
  const origins = (corsRule?.plugins.cors.allow_origins ?? "").split(",").map((s) => s.trim());
  check(
    JSON.stringify(origins) === JSON.stringify([`https://${dflt}`, `https://admin.${dflt}`]),
    `cors origins under compose's defaults are ${JSON.stringify(origins)}, expected the primary and admin origin of ${dflt}`,
  );
}

// 6. config.yaml: the client address from the load balancer, the private
// metrics port.
{
  const rawConfig = readFileSync(CONFIG, "utf8");
  const { out } = resolveApisixVars(rawConfig, {});
  const config = YAML.parse(out);
  const http = config?.nginx_config?.http ?? {};
  check(http.real_ip_header === "X-Forwarded-For", "config.yaml: nginx_config.http.real_ip_header must be X-Forwarded-For (the load balancer's)");
  check(String(http.real_ip_recursive) === "on", 'config.yaml: real_ip_recursive must be "on" (the last untrusted address is the client)');
  const from = YAML.parse(rawConfig)?.nginx_config?.http?.real_ip_from ?? [];
  check(Array.isArray(from) && from.some((f) => /\$\{\{/.test(String(f))), "config.yaml: real_ip_from must include the load balancer ranges from ${{VAR}}");
  check(!(http.real_ip_from ?? []).some((f) => ["0.0.0.0/0", "::/0"].includes(f)), "config.yaml: real_ip_from must not trust every address");
  const prom = config?.plugin_attr?.prometheus ?? {};
  const listen = (config?.apisix?.node_listen ?? []).map((l) => (typeof l === "object" ? l.port : l)).map(Number);
  check(prom.export_addr?.port && !listen.includes(Number(prom.export_addr.port)), "config.yaml: plugin_attr.prometheus.export_addr must be a port of its own, not the public one");
  check((apisix.global_rules ?? []).some((g) => g.plugins?.prometheus), "apisix.yaml: the prometheus plugin must be on (a global rule)");
  const promText = readFileSync(PROMETHEUS, "utf8");
  check(new RegExp(`${prom.export_uri ?? "/apisix/prometheus/metrics"}`).test(promText) && promText.includes(String(prom.export_addr?.port)), "prometheus.yml does not scrape the gateway's metrics");
  check(/15692/.test(promText), "prometheus.yml does not scrape RabbitMQ's own endpoint (:15692)");
}

// 7. Upstreams: timeouts of CONTRACT §20.3.
for (const u of apisix.upstreams ?? []) {
  const t = u.timeout ?? {};
  const ws = u.id === "chorus-edge-http";
  check(t.read === (ws ? 3600 : 30) && t.send === (ws ? 3600 : 30), `upstream ${u.id}: read/send timeout must be ${ws ? 3600 : 30} s`);
}

if (failures.length) {
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(`gateway: ${failures.length} of ${checks} checks failed (${relative(ROOT, APISIX)})`);
  process.exit(1);
}
console.log(`gateway: ${checks} checks passed (${operations.length} operations, ${apiSamples} API paths × root and /api, ${grpc.length} gRPC methods unrouted)`);
