import { describeRemoved } from "@/lib/privacy/labels";

/** Lists the rows removed, by kind of data, in words. */
export function RemovedList({
  label,
  counts,
}: {
  label: string;
  counts: Record<string, number>;
}) {
  const rows = describeRemoved(counts);
  if (!rows.length) return <p className="text-sm">Nothing was stored.</p>;
  return (
    <ul className="list-disc pl-5 text-sm" aria-label={label}>
      {rows.map(({ table, text }) => (
        <li key={table} data-testid={`removed-${table}`}>
          {text}
        </li>
      ))}
    </ul>
  );
}
