/** A table column: its header text; numeric columns are right-aligned; title explains it on hover. */
export interface HeadColumn {
  label: string;
  numeric?: boolean;
  title?: string;
}

/** The header row of a view's table; a plain string is a text column. */
export function TableHead({ columns }: { columns: readonly (string | HeadColumn)[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          const { label, numeric, title } = typeof column === 'string' ? { label: column } : column;
          return (
            <th key={label} scope="col" className={numeric ? 'pv-num' : undefined} title={title}>
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/** A numeric column. */
export const num = (label: string, title?: string): HeadColumn => ({ label, numeric: true, title });
