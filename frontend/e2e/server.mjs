// Starts a private `chorus all --demo` for the browser tests: its own database
// (chorus_t_…, removed by scripts/purge-test-leftovers.sh too), Redis prefix,
// AMQP exchange and queue prefix, port, data dir, and the built app as web root.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * @param {{ repo: string, bin: string, webRoot: string, resultsDir: string }} options
 */
export async function startServer({ repo, bin, webRoot, resultsDir }) {
  // Fixed width, so that one run's id is never a prefix of another's.
  const id = `chorus_t_web_${randomBytes(4).toString('hex')}`;
  const dbUrl = process.env.CHORUS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.CHORUS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const amqpUrl = process.env.CHORUS_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/%2f';
  execFileSync('psql', ['-w', '-X', '-q', dbUrl, '-c', `CREATE DATABASE ${id}`], { stdio: 'ignore' });
  const dataDir = join(tmpdir(), id);
  mkdirSync(resultsDir, { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = openSync(join(resultsDir, 'server.log'), 'w');
  const child = spawn(bin, ['all', '--demo'], {
    cwd: repo,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      CHORUS_ALL__HTTP_ADDR: `127.0.0.1:${port}`,
      CHORUS_ALL__DATA_DIR: dataDir,
      CHORUS_ALL__EMBEDDED_S3_ADDR: '127.0.0.1:0',
      CHORUS_ALL__WEB_ROOT: webRoot,
      CHORUS__DB__URL: `${dbUrl.replace(/\/[^/]*$/, '')}/${id}`,
      CHORUS__DB__MAX_CONNECTIONS: '4',
      CHORUS__REDIS__URL: redisUrl,
      CHORUS__REDIS__PREFIX: `${id}:`,
      CHORUS__AMQP__URL: amqpUrl,
      CHORUS__AMQP__EXCHANGE: id,
      CHORUS__AMQP__QUEUE_PREFIX: `${id}.`,
      RUST_LOG: process.env.RUST_LOG ?? 'warn,lapin=error',
    },
  });
  let exited = false;
  child.on('exit', () => (exited = true));

  async function stop() {
    if (!exited) {
      child.kill('SIGTERM');
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(undefined);
        }, 10_000);
        child.on('exit', () => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
    }
    rmSync(dataDir, { recursive: true, force: true });
    // Only this run's resources (database, Redis keys, RabbitMQ queues and
    // exchanges): other test runs may be using theirs right now. Quorum queues
    // are not cheap; leaving eight per run piled up hundreds on a busy machine.
    try {
      execFileSync(join(repo, 'scripts/purge-test-leftovers.sh'), [id], {
        stdio: 'ignore',
        env: { ...process.env, CHORUS_TEST_DATABASE_URL: dbUrl, CHORUS_TEST_REDIS_URL: redisUrl, CHORUS_TEST_AMQP_URL: amqpUrl },
      });
    } catch {
      // best effort
    }
  }

  for (let i = 0; i < 600; i++) {
    if (exited) break;
    try {
      const health = await fetch(`${base}/health`);
      const bob = await fetch(`${base}/users/by-username/bob`);
      if (health.ok && bob.ok) return { base, stop };
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`chorus all did not become ready; see ${join(resultsDir, 'server.log')}`);
}
