// Fast API seeding for the history browser tests and the benchmark: many POSTs
// at once (the server orders by id, so concurrent messages still form one history).

/**
 * @param {string} base @param {string} token @param {string} method @param {string} path @param {unknown} [body]
 * @returns {Promise<any>}
 */
export async function request(base, token, method, path, body) {
  for (let attempt = 0; ; attempt++) {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // Rate limits (if any) and transient errors: wait and try again a few times.
    if ((r.status === 429 || r.status >= 500) && attempt < 5) {
      await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
      continue;
    }
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.status === 204 ? null : r.json();
  }
}

/**
 * Runs `task(i)` for i in 0..n-1, `concurrency` at a time; returns the answers in i order.
 * @template T
 * @param {number} n @param {number} concurrency @param {(i: number) => Promise<T>} task
 * @returns {Promise<T[]>}
 */
export async function pool(n, concurrency, task) {
  /** @type {T[]} */
  const out = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      out[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return out;
}

/**
 * Posts `n` text messages into a chat; `content(i)` for i = 1..n. Returns the ids by i (index 0 unused).
 * @param {string} base @param {string} token @param {number} chatId @param {number} n
 * @param {(i: number) => string} content @param {number} [concurrency]
 * @returns {Promise<number[]>}
 */
export async function seedMessages(base, token, chatId, n, content, concurrency = 12) {
  const answers = await pool(n, concurrency, (i) =>
    request(base, token, 'POST', `/chats/${chatId}/messages`, { content: content(i + 1) }),
  );
  return [0, ...answers.map((a) => a.id)];
}
