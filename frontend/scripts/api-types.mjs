// Generates src/api/schema.d.ts (the API's types for the web app) from the
// OpenAPI document that `chorus openapi` prints, or checks that the committed
// file is what the document generates today.
//
//   node scripts/api-types.mjs write|check [openapi.json]
//
// Without a path, the document is read from `cargo run -q -p chorus -- openapi`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'src/api/schema.d.ts');
const [mode, docPath] = process.argv.slice(2);
if (mode !== 'write' && mode !== 'check') {
  console.error('usage: api-types.mjs write|check [openapi.json]');
  process.exit(2);
}

const text = docPath
  ? readFileSync(docPath, 'utf8')
  : execFileSync('cargo', ['run', '-q', '-p', 'chorus', '--', 'openapi'], {
      cwd: join(root, '..'),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
const ast = await openapiTS(JSON.parse(text), { alphabetize: false });
const header =
  '// Generated from the OpenAPI document (`chorus openapi`) by scripts/api-types.mjs.\n' +
  '// Do not edit: run `npm run api:types` after changing the API.\n\n';
const generated = header + astToString(ast);

if (mode === 'write') {
  writeFileSync(target, generated);
  console.log(`wrote ${target}`);
} else {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is drift like any other
  }
  if (current !== generated) {
    console.error(
      'frontend/src/api/schema.d.ts is out of date with the OpenAPI document: run `make api-types` and commit it',
    );
    process.exit(1);
  }
  console.log('frontend/src/api/schema.d.ts matches the OpenAPI document');
}
