// CSV files for people who open them in Excel. Excel guesses each cell's type when it opens a
// CSV: a 16-digit NIK or No. KK becomes a number and loses its last digit (Excel keeps 15
// significant digits, then shows 3.57305E+15), and NISNs and NPSNs lose their leading zeros.
//
// Identifier cells are therefore written as ="3573056412081132": a formula whose result is that
// text. It is the form Excel honours when opening a CSV (LibreOffice and Google Sheets too), and
// the cell shows the digits with no visible marker. The alternatives fail: a leading apostrophe
// stays visible in a CSV, and a leading tab becomes part of the value (copied along into other
// systems, and Excel may still read the rest as a number). Only identifier columns get this,
// and only digit-only values, so no other text can ever turn into a formula. Jemput's import
// reads ="…" back as the bare value (core parseImportIdentifier), so a corrected problems CSV
// can be imported again.

/** An identifier as Excel keeps it: `="…"` for digits, anything else unchanged. */
export function excelText(value: string): string {
  return /^\d+$/.test(value) ? `="${value}"` : value;
}

function quoted(value: string, delimiter: string): string {
  return value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r') || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A CSV (UTF-8 with BOM, CRLF) whose identifier columns survive Excel. The `="…"` cells are
 * written unquoted, the way Excel itself saves them.
 */
export function spreadsheetCsv(fields: string[], rows: (string | number | null | undefined)[][], options: { delimiter: string; identifierColumns: ReadonlySet<number> }): string {
  const line = (cells: (string | number | null | undefined)[], header: boolean) =>
    cells
      .map((cell, column) => {
        const text = cell == null ? '' : String(cell);
        if (!header && options.identifierColumns.has(column) && /^\d+$/.test(text)) return excelText(text);
        return quoted(text, options.delimiter);
      })
      .join(options.delimiter);
  return '\uFEFF' + [line(fields, true), ...rows.map((r) => line(r, false))].join('\r\n');
}
