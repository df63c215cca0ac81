// A small RFC 4180 reader: quoted cells may hold delimiters, doubled quotes and line breaks.

export interface CsvRow {
  /** 1-based line where the row starts, for error messages. */
  line: number;
  cells: string[];
}

/** The delimiter a header line uses most, of `,` `;` and tab (as `apiscope worst` decides). */
export function sniffDelimiter(header: string): string {
  const counts = [",", ";", "\t"].map((d) => [d, header.split(d).length - 1] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/** Every row of `text`, blank lines left out. */
export function parseCsv(text: string, delimiter: string): CsvRow[] {
  const reader = new CsvReader(text, delimiter);
  const rows: CsvRow[] = [];
  for (let row = reader.next(); row; row = reader.next()) {
    if (row.cells.some((cell) => cell.trim() !== "")) rows.push(row);
  }
  return rows;
}

class CsvReader {
  private pos = 0;
  private line = 1;

  constructor(
    private readonly text: string,
    private readonly delimiter: string,
  ) {}

  next(): CsvRow | null {
    if (this.pos >= this.text.length) return null;
    const row: CsvRow = { line: this.line, cells: [] };
    for (;;) {
      row.cells.push(this.cell());
      const end = this.text[this.pos];
      if (end === this.delimiter) {
        this.pos += 1;
        continue;
      }
      this.skipLineEnd();
      return row;
    }
  }

  private cell(): string {
    if (this.text[this.pos] === '"') return this.quoted();
    let end = this.pos;
    while (end < this.text.length && !this.endsCell(this.text[end] ?? "")) end += 1;
    const value = this.text.slice(this.pos, end);
    this.pos = end;
    return value;
  }

  private quoted(): string {
    let value = "";
    this.pos += 1;
    while (this.pos < this.text.length) {
      const char = this.text[this.pos] ?? "";
      if (char === '"' && this.text[this.pos + 1] === '"') {
        value += '"';
        this.pos += 2;
      } else if (char === '"') {
        this.pos += 1;
        break;
      } else {
        if (char === "\n") this.line += 1;
        value += char;
        this.pos += 1;
      }
    }
    // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
    return value + this.cell();
  }

  private endsCell(char: string): boolean {
    return char === this.delimiter || char === "\n" || char === "\r";
  }

  private skipLineEnd(): void {
    if (this.text[this.pos] === "\r") this.pos += 1;
    if (this.text[this.pos] === "\n") this.pos += 1;
    this.line += 1;
  }
}
