// Writes the SQLite and PostgreSQL schemas from prisma/model.prisma and generates
// both Prisma clients (and the Pothos types, from the SQLite schema: the model is
// the same, only the provider differs).
//   tsx prisma/generate.ts          write schemas + generate clients
//   tsx prisma/generate.ts --check  exit 1 if the committed schemas are stale
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const prismaDir = dirname(fileURLToPath(import.meta.url));
const generatedDir = '../../packages/api/src/generated';

export const providers = ['sqlite', 'postgresql'] as const;
export type Provider = (typeof providers)[number];

export function schemaPath(provider: Provider): string {
  return join(prismaDir, provider, 'schema.prisma');
}

export function renderSchema(provider: Provider): string {
  const model = readFileSync(join(prismaDir, 'model.prisma'), 'utf8');
  // The url is replaced by the driver adapter at run time, but Prisma's schema
  // validation needs one.
  const url = provider === 'sqlite' ? 'file:../../data/jemput.db' : 'postgresql://localhost:5432/jemput';
  const pothos =
    provider === 'sqlite'
      ? `
generator pothos {
  provider     = "prisma-pothos-types"
  clientOutput = "./sqlite/client.ts"
  output       = "${generatedDir}/pothos-types.ts"
  generateDatamodel = true
}
`
      : '';
  return `// GENERATED from prisma/model.prisma by prisma/generate.ts. Do not edit.

datasource db {
  provider = "${provider}"
  url      = "${url}"
}

generator client {
  provider               = "prisma-client"
  output                 = "${generatedDir}/${provider}"
  engineType             = "client"
  moduleFormat           = "esm"
  importFileExtension    = "ts"
}
${pothos}
${model}`;
}

function main(): void {
  const check = process.argv.includes('--check');
  let stale = false;
  for (const provider of providers) {
    const path = schemaPath(provider);
    const text = renderSchema(provider);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (current === text) continue;
    if (check) {
      console.error(`${path} is stale: run \`pnpm --filter @jemput/api prisma:generate\``);
      stale = true;
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  }
  if (check) process.exit(stale ? 1 : 0);
  for (const provider of providers) {
    execFileSync('prisma', ['generate', '--config', join(prismaDir, 'prisma.config.ts'), '--schema', schemaPath(provider)], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
