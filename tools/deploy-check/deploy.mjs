// The deployment check of `make check-deploy`: parses every HCL file of nomad/,
// consul/ and vault/ with HashiCorp's parser (@cdktf/hcl2json: hashicorp/hcl v2
// compiled to WebAssembly) and checks what a reviewer would; validates
// docker-compose.yml against the Compose Specification's JSON schema
// (../shared/schemas/compose-spec.json, or COMPOSE_SPEC) and checks its rules.
//
//   node deploy.mjs [--root DIR]     (DIR: the tree to check, default the repository)
// Exit status 1 with one line per failure.

import { readFileSync, existsSync, readdirSync, statSync } from "node:fs";
import { join, dirname, relative, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseHcl } from "@cdktf/hcl2json";
import YAML from "yaml";
import Ajv from "ajv";

const HERE = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const ROOT = argv.includes("--root") ? argv[argv.indexOf("--root") + 1] : join(HERE, "..", "..");
const SPEC = process.env.COMPOSE_SPEC ?? [join(ROOT, "../shared/schemas/compose-spec.json"), join(HERE, "../../../shared/schemas/compose-spec.json"), "/work/shared/schemas/compose-spec.json"].find(existsSync);

const failures = [];
let checks = 0;
const check = (cond, msg) => {
  checks++;
  if (!cond) failures.push(msg);
  return cond;
};
const rel = (p) => relative(ROOT, p);
const list = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const one = (v) => list(v)[0];

function walk(dir, pred) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p, pred) : pred(p) ? [p] : [];
  });
}

// ---------------------------------------------------------------- HCL: parse everything

const hcl = new Map();
for (const f of ["nomad", "consul", "vault"].flatMap((d) => walk(join(ROOT, d), (p) => p.endsWith(".hcl")))) {
  try {
    hcl.set(f, await parseHcl(basename(f), readFileSync(f, "utf8")));
    checks++;
  } catch (e) {
    check(false, `${rel(f)}: HCL does not parse: ${String(e.message ?? e).split("\n")[0]}`);
  }
}

// ---------------------------------------------------------------- the services and their peers

const SERVICES = readdirSync(join(ROOT, "services")).filter((s) => existsSync(join(ROOT, "services", s, "src/config.rs")));
// `pub <peer>_grpc_url: String` in services/<svc>/src/config.rs: whom it calls.
const peersOf = Object.fromEntries(
  SERVICES.map((s) => [s, [...readFileSync(join(ROOT, "services", s, "src/config.rs"), "utf8").matchAll(/pub\s+(\w+)_grpc_url\s*:/g)].map((m) => m[1])]),
);
// `grpc_addr` in a service's config: it serves gRPC.
const servesGrpc = Object.fromEntries(SERVICES.map((s) => [s, /pub\s+grpc_addr\s*:/.test(readFileSync(join(ROOT, "services", s, "src/config.rs"), "utf8"))]));
check(SERVICES.length >= 7, `found only ${SERVICES.length} services under services/`);

const durationSecs = (d) => {
  const m = String(d ?? "").match(/^(\d+)(ms|s|m|h)$/);
  return m ? Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2]] : NaN;
};

// ---------------------------------------------------------------- Nomad

const hclIntentions = () =>
  [...hcl].filter(([f, d]) => rel(f).startsWith("consul/") && !rel(f).startsWith("consul/compose/") && d.Kind === "service-intentions").map(([, d]) => d);

const jobs = [];
for (const [f, doc] of hcl) {
  if (!rel(f).startsWith("nomad/")) continue;
  for (const [name, bodies] of Object.entries(doc.job ?? {})) jobs.push({ file: f, name, job: one(bodies), variables: doc.variable ?? {} });
}

for (const svc of SERVICES) {
  const job = `chorus-${svc}`;
  const mine = jobs.filter((j) => j.name === job);
  if (!check(mine.length === 1, `nomad: job ${job} defined ${mine.length} times (each service its own job, once)`)) continue;
  const { file, job: body, variables } = mine[0];
  const where = `${rel(file)} (${job})`;
  const groups = Object.entries(body.group ?? {}).map(([n, g]) => [n, one(g)]);
  check(groups.length === 1, `${where}: ${groups.length} groups; one service, one group`);

  // Update stanza: health-gated, reverting.
  const update = one(body.update) ?? {};
  check(update.auto_revert === true, `${where}: update.auto_revert must be true`);
  check(["checks", undefined].includes(update.health_check), `${where}: update.health_check must be "checks" (health-gated)`);
  check(durationSecs(update.min_healthy_time) >= 5, `${where}: update.min_healthy_time must be set (≥ 5s)`);
  check(durationSecs(update.healthy_deadline) > 0 && durationSecs(update.progress_deadline) > durationSecs(update.healthy_deadline), `${where}: update.healthy_deadline and a longer progress_deadline must be set`);
  const imageDefault = one(variables.image)?.default ?? "";
  check(!/:latest$/.test(imageDefault) && /:/.test(imageDefault), `${where}: variable image defaults to ${JSON.stringify(imageDefault)}; a pinned tag, never latest`);

  for (const [gname, g] of groups) {
    const gw = `${where} group ${gname}`;
    check(durationSecs(g.shutdown_delay) >= 1, `${gw}: shutdown_delay missing (deregister from Consul, then stop)`);
    const net = one(g.network) ?? {};
    check(net.mode === "bridge", `${gw}: network mode must be bridge (Connect)`);
    const ports = net.port ?? {};
    const services = list(g.service);
    const tasks = Object.entries(g.task ?? {}).map(([n, t]) => [n, one(t)]);
    const [tname, task] = tasks.find(([n]) => n === svc) ?? tasks[0] ?? [];
    const env = one(task?.env) ?? {};
    const ENV = `CHORUS_${svc.toUpperCase()}__`;

    // gRPC: never published on the host; reached only through Connect.
    const grpcAddr = env[`${ENV}GRPC_ADDR`];
    if (servesGrpc[svc]) {
      const addrPort = Number(String(grpcAddr ?? "").split(":").pop());
      check(/^127\.0\.0\.1:\d+$/.test(grpcAddr ?? ""), `${gw}: ${ENV}GRPC_ADDR is ${grpcAddr}; bind 127.0.0.1 (only the sidecar reaches it)`);
      for (const [label, p] of Object.entries(ports)) {
        const pp = one(p);
        check(!/grpc/i.test(label) && pp.to !== addrPort && pp.static !== addrPort, `${gw}: network port "${label}" publishes the gRPC port on the host`);
      }
      check(!list(one(task?.config)?.ports).some((p) => /grpc/i.test(p)), `${gw}: task ${tname} maps a gRPC port`);
      const gs = services.find((s) => s.name === `chorus-${svc}-grpc`);
      if (check(gs, `${gw}: no chorus-${svc}-grpc service`)) {
        check(String(gs.port) === String(addrPort), `${gw}: chorus-${svc}-grpc must register the in-namespace port ${addrPort} (not a host port label; got ${gs.port})`);
        check(one(gs.connect)?.sidecar_service !== undefined, `${gw}: chorus-${svc}-grpc has no Connect sidecar`);
        const checksG = list(gs.check);
        check(
          checksG.some((c) => c.type === "grpc" && c.grpc_service === `chorus.${svc}` && c.expose === true),
          `${gw}: chorus-${svc}-grpc needs a grpc check (grpc.health.v1, grpc_service "chorus.${svc}", expose = true through the sidecar)`,
        );
        check(!checksG.some((c) => c.type === "tcp"), `${gw}: chorus-${svc}-grpc still has a TCP check`);
      }
    } else {
      check(!services.some((s) => /-grpc$/.test(s.name ?? "")), `${gw}: registers a gRPC service but services/${svc} serves none`);
    }

    // HTTP: the readiness check the update stanza waits for.
    const hs = services.find((s) => s.name === `chorus-${svc}-http`);
    if (check(hs, `${gw}: no chorus-${svc}-http service`)) {
      check(list(hs.check).some((c) => c.type === "http" && c.path === "/health"), `${gw}: chorus-${svc}-http needs an http /health check`);
    }

    // Connect upstreams == the service's *_grpc_url keys, each URL at its bind port.
    const upstreams = services.flatMap((s) => list(one(one(one(s.connect)?.sidecar_service)?.proxy)?.upstreams));
    const chorusUp = upstreams.filter((u) => /^chorus-.*-grpc$/.test(u.destination_name));
    const want = peersOf[svc].map((p) => `chorus-${p}-grpc`).sort();
    const have = chorusUp.map((u) => u.destination_name).sort();
    check(JSON.stringify(want) === JSON.stringify(have), `${gw}: Connect upstreams ${JSON.stringify(have)} ≠ the *_grpc_url keys of services/${svc}/src/config.rs ${JSON.stringify(want)}`);
    // Every upstream, the object store's included, has an intention allowing this service.
    for (const u of upstreams) {
      let dest = u.destination_name;
      const v = /^\$\{var\.(\w+)\}$/.exec(dest);
      if (v) dest = one(variables[v[1]])?.default;
      const int = hclIntentions().find((e) => e.Name === dest);
      check(
        int && list(int.Sources).some((src) => src.Name === `chorus-${svc}-http` && src.Action === "allow"),
        `${gw}: upstream ${dest} has no Consul intention allowing chorus-${svc}-http (consul/*.service-intentions.hcl)`,
      );
    }
    for (const peer of peersOf[svc]) {
      const key = `${ENV}${peer.toUpperCase()}_GRPC_URL`;
      const up = chorusUp.find((u) => u.destination_name === `chorus-${peer}-grpc`);
      check(up && env[key] === `http://127.0.0.1:${up.local_bind_port}`, `${gw}: ${key} is ${env[key]}; must be the sidecar upstream http://127.0.0.1:${up?.local_bind_port}`);
    }
    for (const k of Object.keys(env)) if (/_GRPC_URL$/.test(k)) check(peersOf[svc].some((p) => k === `${ENV}${p.toUpperCase()}_GRPC_URL`), `${gw}: ${k} is not a config key of services/${svc}`);

    // Vault: workload identity, one role (and policy) per service.
    const vault = one(task?.vault);
    if (check(vault, `${gw}: task ${tname} has no vault block`)) {
      check(vault.role === job, `${gw}: vault.role must be "${job}" (workload identity, one role per service); got ${JSON.stringify(vault.role)}`);
      check(vault.policies === undefined, `${gw}: vault.policies is the legacy token flow; use vault.role`);
    }
    const templates = list(task?.template).map((t) => t.data ?? "");
    for (const t of templates) for (const m of t.matchAll(/secret\s+"([^"]+)"/g)) check(m[1] === `secret/data/chorus/${svc}`, `${gw}: template reads ${m[1]}; only secret/data/chorus/${svc}`);
  }
}
for (const j of jobs) check(j.name === "chorus-web" || SERVICES.includes(j.name.replace(/^chorus-/, "")), `${rel(j.file)}: job ${j.name} is no Chorus service`);
for (const j of jobs) {
  const g = one(Object.values(j.job.group ?? {}));
  if (j.name === "chorus-web") {
    check(durationSecs(one(g)?.shutdown_delay) >= 1, `${rel(j.file)}: shutdown_delay missing`);
    check(one(j.job.update)?.auto_revert === true, `${rel(j.file)}: update.auto_revert must be true`);
  }
}

// ---------------------------------------------------------------- Vault: one policy, one role per service

const policies = [...hcl].filter(([f]) => rel(f).startsWith("vault/policies/"));
check(policies.length === SERVICES.length, `vault/policies: ${policies.length} policies for ${SERVICES.length} services (one per service)`);
for (const svc of SERVICES) {
  const p = policies.find(([f]) => basename(f) === `chorus-${svc}.hcl`);
  if (!check(p, `vault/policies/chorus-${svc}.hcl missing`)) continue;
  const paths = Object.entries(p[1].path ?? {});
  for (const [path, body] of paths) {
    check(path === `secret/data/chorus/${svc}`, `vault/policies/chorus-${svc}.hcl grants ${path}; only secret/data/chorus/${svc}`);
    check(JSON.stringify(one(body).capabilities) === JSON.stringify(["read"]), `vault/policies/chorus-${svc}.hcl: ${path} must be read-only`);
  }
  const roleFile = join(ROOT, "vault/roles", `chorus-${svc}.json`);
  if (check(existsSync(roleFile), `vault/roles/chorus-${svc}.json missing (the JWT auth role of the job's workload identity)`)) {
    const role = JSON.parse(readFileSync(roleFile, "utf8"));
    check(role.role_type === "jwt", `vault/roles/chorus-${svc}.json: role_type must be jwt`);
    check(JSON.stringify(role.token_policies) === JSON.stringify([`chorus-${svc}`]), `vault/roles/chorus-${svc}.json: token_policies must be exactly ["chorus-${svc}"]`);
    check(role.bound_claims?.nomad_job_id === `chorus-${svc}`, `vault/roles/chorus-${svc}.json: bound_claims.nomad_job_id must be chorus-${svc} (no other job gets this role)`);
    check(list(role.bound_audiences).includes("vault.io"), `vault/roles/chorus-${svc}.json: bound_audiences must include vault.io`);
  }
}
check(existsSync(join(ROOT, "vault/README.md")) && /auth\/jwt-nomad\/config|jwt-nomad/.test(readFileSync(join(ROOT, "vault/README.md"), "utf8")), "vault/README.md must document the JWT auth method (jwt-nomad) the roles live in");

// ---------------------------------------------------------------- Consul: intentions for each upstream

const entries = [...hcl].filter(([f]) => rel(f).startsWith("consul/") && !rel(f).startsWith("consul/compose/")).map(([f, d]) => ({ f, ...d }));
for (const svc of SERVICES.filter((s) => servesGrpc[s])) {
  const name = `chorus-${svc}-grpc`;
  check(entries.some((e) => e.Kind === "service-defaults" && e.Name === name && e.Protocol === "grpc"), `consul: no service-defaults with Protocol grpc for ${name}`);
  const int = entries.find((e) => e.Kind === "service-intentions" && e.Name === name);
  if (!check(int, `consul: no service-intentions for ${name}`)) continue;
  const sources = list(int.Sources);
  const allowed = sources.filter((s) => s.Action === "allow").map((s) => s.Name).sort();
  const callers = SERVICES.filter((c) => peersOf[c].includes(svc)).map((c) => `chorus-${c}-http`).sort();
  check(JSON.stringify(allowed) === JSON.stringify(callers), `consul: ${name} allows ${JSON.stringify(allowed)}; its callers (Connect upstreams) are ${JSON.stringify(callers)}`);
  check(sources.some((s) => s.Name === "*" && s.Action === "deny"), `consul: ${name} intentions must end in a * deny`);
}

// consul/compose/: the compose containers' registrations check gRPC health
// like the Nomad jobs do.
for (const [f, d] of hcl) {
  if (!rel(f).startsWith("consul/compose/")) continue;
  for (const svc of list(d.services)) {
    const m = /^chorus-(\w+)-grpc$/.exec(svc.name ?? "");
    if (!m) continue;
    const c = one(svc.check) ?? {};
    check(String(c.grpc ?? "").endsWith(`/chorus.${m[1]}`) && c.tcp === undefined, `${rel(f)}: ${svc.name} needs a grpc check of chorus.${m[1]} (grpc = "<addr>:<port>/chorus.${m[1]}"), not ${JSON.stringify(c)}`);
  }
}

// ---------------------------------------------------------------- compose

const composeFile = join(ROOT, "docker-compose.yml");
const compose = YAML.parse(readFileSync(composeFile, "utf8"));
if (check(SPEC, "the Compose Specification schema (../shared/schemas/compose-spec.json) was not found; set COMPOSE_SPEC")) {
  const schema = JSON.parse(readFileSync(SPEC, "utf8"));
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);
  if (!validate(compose)) for (const e of validate.errors.slice(0, 20)) check(false, `docker-compose.yml${e.instancePath}: ${e.message} ${JSON.stringify(e.params)}`);
  else checks++;
}
const ipToInt = (ip) => ip.split(".").reduce((a, b) => a * 256 + Number(b), 0);
const inCidr = (ip, cidr) => {
  const [net, bits] = cidr.split("/");
  const mask = bits === "0" ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return ((ipToInt(ip) & mask) >>> 0) === ((ipToInt(net) & mask) >>> 0);
};
for (const [name, s] of Object.entries(compose.services ?? {})) {
  const image = s.image ?? "";
  const local = s.build !== undefined || ["never", "build"].includes(s.pull_policy);
  if (/^chorus(:|$)/.test(image)) check(s.build !== undefined || ["never", "build"].includes(s.pull_policy), `compose ${name}: image ${image} is built here; needs build or pull_policy never/build (else compose pulls it)`);
  if (image) {
    const digest = /@sha256:[0-9a-f]{64}$/.test(image);
    const tag = image.includes(":") ? image.split(":").pop() : "";
    check(digest || (tag && tag !== "latest"), `compose ${name}: image ${image} is not pinned (no tag or latest)`);
    // An exact release: x.y.z, MinIO's RELEASE.<date>, or PostgreSQL's x.y
    // (its versions have two parts since 10).
    const repo = image.replace(/[:@].*$/, "");
    const exact = /^v?\d+\.\d+\.\d+/.test(tag) || /^RELEASE\.\d{4}-/.test(tag) || (/(^|\/)postgres$/.test(repo) && /^\d{2,}\.\d+(-|$)/.test(tag));
    if (!digest && !local) check(exact, `compose ${name}: image ${image}: a major-only or moving tag; pin an exact version (or a digest)`);
  }
  for (const [net, cfg] of Object.entries(typeof s.networks === "object" && !Array.isArray(s.networks) ? s.networks : {})) {
    if (!cfg?.ipv4_address) continue;
    const ipam = list(compose.networks?.[net]?.ipam?.config);
    const sub = ipam.find((c) => c.subnet && inCidr(cfg.ipv4_address, c.subnet));
    check(sub?.ip_range && !inCidr(cfg.ipv4_address, sub.ip_range), `compose ${name}: fixed address ${cfg.ipv4_address} can be taken by another container (no ip_range on network ${net} that excludes it)`);
  }
  for (const [k, v] of Object.entries(s.environment ?? {})) if (/_GRPC_URL$/.test(k)) check(!/\/\/\d+\.\d+\.\d+\.\d+/.test(String(v)), `compose ${name}: ${k}=${v}: by compose name, not a fixed address`);
}

if (failures.length) {
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(`deploy: ${failures.length} of ${checks} checks failed (${ROOT})`);
  process.exit(1);
}
console.log(`deploy: ${checks} checks passed (${hcl.size} HCL files, ${jobs.length} Nomad jobs, ${SERVICES.length} services, docker-compose.yml against the Compose Specification)`);
