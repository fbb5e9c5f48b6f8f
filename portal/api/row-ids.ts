/**
 * Public ids of database rows: `<prefix>_<row number>` ("u_12", "t_340"), and back. The prefix
 * tells an id's kind at a glance; the parse accepts nothing but a positive row number after it.
 */
export interface RowIds {
  format: (rowId: number) => string;
  parse: (id: string) => number | undefined;
}

export function rowIds(prefix: string): RowIds {
  const pattern = new RegExp(`^${prefix}_([1-9]\\d{0,15})$`);
  return {
    format: (rowId) => `${prefix}_${rowId}`,
    parse: (id) => {
      const match = pattern.exec(id);
      return match ? Number(match[1]) : undefined;
    },
  };
}
