// File downloads over plain HTTP GET, served inside Yoga (a plugin) so they get the same
// request context as GraphQL — the user and office once sessions exist:
//   /export/tallies.xlsx?driveId=…              per school and per district, totals row
//   /export/tallies.csv?driveId=…&by=SCHOOL|DISTRICT
//   /export/visit-sheet.html?visitId=…          printable, A4, one page per class
//   /export/visit-sheet.xlsx?visitId=…
//   /import/<jobId>/problems.csv                 the problem rows of an import
// Every download writes an AuditEvent (action EXPORT: who, what, which format, how many rows).
import { spreadsheetCsv } from './csv.ts';
import type { Plugin } from 'graphql-yoga';
import { fieldLabel, formatMessage, isIdentifierLabel, type Locale } from '@jemput/core';
import type { Context } from '../schema/builder.ts';
import { openTable, type FileFormat } from '../imports/read.ts';
import { storedFilePath } from '../imports/store.ts';
import { loadTallyExport, tallyCsv, tallyXlsx, type TallyLevel } from './tallies.ts';
import { loadVisitSheet, visitSheetHtml, visitSheetXlsx } from './visit-sheet.ts';
import { districtLimit, scoped } from '../auth/scope.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Routes /export/* and /import/* to the download handlers, with the context GraphQL would get. */
export function downloadRoutes(contextFor: (request: Request, server?: any) => Context | Promise<Context>): Plugin {
  return {
    async onRequest({ request, url, endResponse, serverContext }) {
      if (!url.pathname.startsWith('/export/') && !url.pathname.startsWith('/import/')) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') return endResponse(new Response('Method not allowed', { status: 405, headers: { allow: 'GET' } }));
      const ctx = await contextFor(request, serverContext);
      try {
        endResponse((await download(url, ctx)) ?? notFound(ctx.locale));
      } catch (error) {
        console.error(`Jemput: download ${url.pathname} failed: ${(error as Error).message}`);
        endResponse(new Response(formatMessage({ code: 'WRITE_FAILED' }, ctx.locale), { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
      }
    },
  };
}

function notFound(locale: Locale): Response {
  return new Response(formatMessage({ code: 'NOT_FOUND', params: {} }, locale), { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

function fileResponse(body: string | Buffer, type: string, fileName: string, inline = false): Response {
  return new Response(body as BodyInit, {
    headers: {
      'content-type': type,
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
      'cache-control': 'no-store',
    },
  });
}

async function logExport(ctx: Context, entity: string, entityId: string, detail: Record<string, unknown>): Promise<void> {
  await ctx.db.auditEvent.create({ data: { officeId: ctx.officeId, userId: ctx.userId, ip: ctx.ip, action: 'EXPORT', entity, entityId, detail: JSON.stringify(detail) } });
}

/** Who may download what (auth/rules.ts, auth/scope.ts): a session; import problems for ADMINs; rows in scope. */
async function refusal(path: string, url: URL, ctx: Context): Promise<Response | null> {
  const refuse = (status: number, code: string) => new Response(formatMessage({ code }, ctx.locale), { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  if (!ctx.user) return refuse(401, 'UNAUTHENTICATED');
  if (ctx.user.mustChangePassword) return refuse(403, 'MUST_CHANGE_PASSWORD');
  if (path.startsWith('/import/') && ctx.user.role !== 'ADMIN') return refuse(403, 'FORBIDDEN');
  // District-limited users see their districts' rows only; the office-wide report is not for them.
  if (path.startsWith('/export/tallies.') && districtLimit(ctx)) return refuse(403, 'FORBIDDEN');
  if (path.startsWith('/export/visit-sheet.') && !(await ctx.db.visit.count({ where: scoped('Visit', ctx, { id: url.searchParams.get('visitId') ?? '' }) }))) return notFound(ctx.locale);
  return null;
}

async function download(url: URL, ctx: Context): Promise<Response | null> {
  const path = url.pathname;
  const refused = await refusal(path, url, ctx);
  if (refused) return refused;
  const problems = /^\/import\/([^/]+)\/problems\.csv$/.exec(path);
  if (problems) return problemsCsv(ctx, decodeURIComponent(problems[1] as string));

  if (path === '/export/tallies.xlsx' || path === '/export/tallies.csv') {
    const driveId = url.searchParams.get('driveId') ?? '';
    const data = await loadTallyExport(ctx.db, driveId, ctx.today, ctx.officeId);
    if (!data) return null;
    const stamp = `${data.today}`;
    if (path.endsWith('.xlsx')) {
      const body = await tallyXlsx(data, ctx.locale);
      await logExport(ctx, 'TallyReport', driveId, { format: 'XLSX', schools: data.schools.length, districts: data.districts.length });
      return fileResponse(body, XLSX_TYPE, `rekap-${stamp}.xlsx`);
    }
    const level: TallyLevel = url.searchParams.get('by')?.toUpperCase() === 'DISTRICT' ? 'DISTRICT' : 'SCHOOL';
    const body = tallyCsv(data, level, ctx.locale);
    await logExport(ctx, 'TallyReport', driveId, { format: 'CSV', by: level, rows: level === 'SCHOOL' ? data.schools.length : data.districts.length });
    return fileResponse(body, 'text/csv; charset=utf-8', `rekap-${level === 'SCHOOL' ? 'sekolah' : 'kecamatan'}-${stamp}.csv`);
  }

  if (path === '/export/visit-sheet.html' || path === '/export/visit-sheet.xlsx') {
    const visitId = url.searchParams.get('visitId') ?? '';
    const sheet = await loadVisitSheet(ctx.db, visitId, ctx.officeId);
    if (!sheet) return null;
    const format = path.endsWith('.xlsx') ? 'XLSX' : 'HTML';
    await logExport(ctx, 'VisitSheet', visitId, { format, students: sheet.count, school: sheet.npsn });
    const name = `kunjungan-${sheet.npsn}-${sheet.date}`;
    return format === 'XLSX'
      ? fileResponse(await visitSheetXlsx(sheet, ctx.locale), XLSX_TYPE, `${name}.xlsx`)
      : fileResponse(visitSheetHtml(sheet, ctx.locale), 'text/html; charset=utf-8', `${name}.html`, true);
  }
  return null;
}

/** The problem rows of an import: row, severity, column, message, then the row's cells under the file's own headers. */
async function problemsCsv(ctx: Context, jobId: string): Promise<Response | null> {
  const job = await ctx.db.importJob.findFirst({ where: { id: jobId, ...(ctx.officeId ? { officeId: ctx.officeId } : {}) } });
  if (!job) return null;
  const rows = await ctx.db.importProblem.findMany({ where: { jobId }, orderBy: [{ rowNumber: 'asc' }, { id: 'asc' }] });
  let labels: string[] = [];
  if (job.format === 'XLSX' || job.format === 'CSV') {
    const table = await openTable(storedFilePath(job.fileHash), job.format as FileFormat, job.kind).catch(() => null);
    if (table) {
      labels = table.layout.labels;
      await table.rows.return(undefined);
    }
  }
  const id = ctx.locale === 'id';
  const fixed = id ? ['Baris', 'Jenis', 'Kolom', 'Masalah'] : ['Row', 'Severity', 'Column', 'Problem'];
  const width = Math.max(labels.length, ...rows.map((p) => ((p.values && (JSON.parse(p.values) as { cells?: unknown[] }).cells) || []).length));
  const fields = [...fixed, ...Array.from({ length: width }, (_, i) => labels[i] || `#${i + 1}`)];
  const data = rows.map((p) => {
    const stored = p.values ? (JSON.parse(p.values) as { cells?: unknown[]; params?: Record<string, string | number> }) : {};
    const message = formatMessage({ code: p.code, params: { ...stored.params, field: p.field ? fieldLabel(p.field, ctx.locale) : '' } }, ctx.locale);
    const severity = p.severity === 'ERROR' ? (id ? 'Galat (tidak diimpor)' : 'Error (not imported)') : id ? 'Peringatan' : 'Warning';
    return [p.rowNumber || '', severity, p.field ? fieldLabel(p.field, ctx.locale) : '', message, ...(stored.cells ?? []).map((c) => (c == null ? '' : String(c)))];
  });
  await logExport(ctx, 'ImportProblems', jobId, { format: 'CSV', rows: rows.length, fileHash: job.fileHash });
  // The file's identifier columns (by their header, or mapped to one), after the 4 fixed ones.
  const mapping = job.mapping ? (JSON.parse(job.mapping) as Record<string, number>) : {};
  const mappedIdentifiers = ['nik', 'nisn', 'npsn', 'familyCardNumber'].map((f) => mapping[f]).filter((c): c is number => c !== undefined);
  const identifierColumns = new Set([...labels.flatMap((label, i) => (isIdentifierLabel(label) ? [i] : [])), ...mappedIdentifiers].map((c) => c + fixed.length));
  const body = spreadsheetCsv(fields, data, { delimiter: id ? ';' : ',', identifierColumns });
  return fileResponse(body, 'text/csv; charset=utf-8', `masalah-impor-${job.fileName.replace(/\.[^.]+$/, '')}.csv`);
}
