/** One row of docs/errors.md. */
export interface CatalogueRow {
  id: string;
  call: string;
  torch: string;
  /** gd's exception class */
  name: string;
  message: string;
}

const unescape = (s: string): string => s.replace(/\\(n|t|\||\\)/g, (_, c: string) => ({ n: '\n', t: '\t', '|': '|', '\\': '\\' })[c]!);

/** Splits a markdown table row on unescaped pipes. */
const cells = (line: string): string[] =>
  line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());

/** A code span's content (the catalogue wraps calls and messages in `` `` … `` `` spans). */
const code = (cell: string): string => {
  if (cell.startsWith('`` ') && cell.endsWith(' ``')) return cell.slice(3, -3);
  if (cell.startsWith('`') && cell.endsWith('`')) return cell.slice(1, -1);
  return cell;
};

/**
 * Reads the catalogue's rows: `| id | gd call | PyTorch | gd error |` where the gd error is
 * `` `Name: message` `` with \n, \t, \| and \\ escaped.
 */
export function readCatalogue(markdown: string): CatalogueRow[] {
  const rows: CatalogueRow[] = [];
  for (const line of markdown.split('\n')) {
    const m = /^\| `([a-z0-9-]+)` \|/.exec(line);
    if (!m) continue;
    const [, call, torch, error] = cells(line);
    const full = unescape(code(error!));
    const colon = full.indexOf(': ');
    rows.push({ id: m[1]!, call: code(call!), torch: unescape(code(torch!)), name: full.slice(0, colon), message: full.slice(colon + 2) });
  }
  return rows;
}
