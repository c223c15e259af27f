// PostgreSQL has its own tools for consistent online backups; Jemput prints the commands.
import { redactUrl } from '../server/startup.ts';

export function postgresCommands(url: string, file = 'jemput-$(date +%Y%m%d-%H%M%S).dump'): { backup: string; restore: string } {
  const shown = redactUrl(url);
  return {
    backup: [
      'Jemput uses PostgreSQL here: back it up with pg_dump (consistent while the servers run):',
      `  pg_dump --format=custom --file=${file} "${shown}"`,
    ].join('\n'),
    restore: [
      'Jemput uses PostgreSQL here: stop the API servers, then restore with pg_restore:',
      `  pg_restore --clean --if-exists --no-owner --single-transaction --dbname="${shown}" FILE.dump`,
      'then start the servers again (they apply any newer migrations).',
    ].join('\n'),
  };
}
