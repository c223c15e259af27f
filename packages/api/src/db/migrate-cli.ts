import { migrateDeploy } from '@jemput/prisma/migrations';
import { DEFAULT_DATABASE_URL } from './client.ts';

const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
migrateDeploy(url);
console.log('Database is up to date.');
