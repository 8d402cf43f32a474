// Debian's promtool is built without consul_sd (and other discovery
// mechanisms), so `promtool check config` rejects observability/prometheus.yml.
// This prints a variant in which every consul_sd_configs is a file_sd_configs
// (everything else — jobs, relabelling, params, rule files — unchanged; rule
// files as absolute paths into the repository) for promtool to check.
//
//   node prometheus-variant.mjs --out DIR [--root DIR]
// writes DIR/prometheus.yml and an empty DIR/targets/<job>.json per job.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, dirname, basename } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const argv = process.argv.slice(2);
const OUT = argv[argv.indexOf("--out") + 1];
if (!argv.includes("--out")) throw new Error("--out DIR is required");
const ROOT = argv.includes("--root") ? argv[argv.indexOf("--root") + 1] : join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const conf = YAML.parse(readFileSync(join(ROOT, "observability/prometheus.yml"), "utf8"));
let replaced = 0;
for (const job of conf.scrape_configs ?? []) {
  if (job.consul_sd_configs) {
    job.file_sd_configs = [{ files: [`targets/${job.job_name}.json`] }];
    mkdirSync(join(OUT, "targets"), { recursive: true });
    writeFileSync(join(OUT, "targets", `${job.job_name}.json`), "[]\n");
    delete job.consul_sd_configs;
    replaced++;
  }
}
// docker-compose mounts observability/prometheus/<file> as /etc/prometheus/<file>.
conf.rule_files = (conf.rule_files ?? []).map((f) => join(ROOT, "observability/prometheus", basename(f)));
process.stderr.write(`prometheus-variant: ${replaced} consul_sd_configs → file_sd_configs\n`);
writeFileSync(join(OUT, "prometheus.yml"), YAML.stringify(conf));
