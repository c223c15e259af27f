// The migrations committed for a provider (prisma/<provider>/migrations/*/migration.sql), to
// compare with what a database has applied (/readyz, backup and restore checks).
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DbProvider } from './client.ts';

const prismaDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'prisma');

export function listCommittedMigrations(provider: DbProvider): string[] {
  const dir = join(prismaDir, provider, 'migrations');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort();
}
