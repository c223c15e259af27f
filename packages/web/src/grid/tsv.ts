// Tab-separated text as Excel and Google Sheets put it on the clipboard.
//
// Both write one line per row and a tab between cells; a cell holding a tab, a line break or a
// double quote is wrapped in double quotes with its quotes doubled ("a ""b"""). Excel ends every
// row with CRLF, including the last one; Sheets uses LF and no trailing newline. A quote in the
// middle of an unquoted cell is just a character.

/** Parses clipboard text into rows of cells. One trailing line break does not make an empty row. */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return rows;
  while (i <= n) {
    let cell = '';
    if (text[i] === '"') {
      // Quoted cell: runs to the closing quote; "" is one quote. Anything after the closing quote
      // up to the next separator is kept as typed (Excel does the same with malformed input).
      i++;
      for (;;) {
        if (i >= n) break;
        const ch = text[i]!;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += ch;
        i++;
      }
      while (i < n && text[i] !== '\t' && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
    } else {
      while (i < n && text[i] !== '\t' && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
    }
    row.push(cell);
    if (i >= n) {
      rows.push(row);
      break;
    }
    const sep = text[i]!;
    if (sep === '\t') {
      i++;
      continue;
    }
    // Line break: CRLF, LF or a lone CR (old Mac Excel).
    i += sep === '\r' && text[i + 1] === '\n' ? 2 : 1;
    rows.push(row);
    row = [];
    if (i >= n) break; // the trailing line break ends the text; no empty last row
  }
  return rows;
}

/** True when a cell must be quoted to survive a round trip. */
function needsQuotes(cell: string): boolean {
  return /[\t\r\n"]/.test(cell);
}

/** Serializes rows the way Excel copies them: tabs, CRLF after every row, quotes only where needed. */
export function serializeTsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map((cell) => (needsQuotes(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join('\t') + '\r\n').join('');
}
