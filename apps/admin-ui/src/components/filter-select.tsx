import { Group, Select } from '@mantine/core';
import type { ReactNode } from 'react';

/** A list's filters, side by side (wrapping on narrow screens), aligned on their inputs. */
export function FilterRow({ children }: { children: ReactNode }) {
  return (
    <Group gap="sm" align="end">
      {children}
    </Group>
  );
}

/** A clearable filter over a URL search value: undefined is "any" (the placeholder). */
export function FilterSelect<V extends string>({
  label,
  placeholder,
  data,
  value,
  onChange,
  searchable,
  w,
}: {
  label: string;
  placeholder: string;
  data: { value: V; label: string }[];
  value: V | undefined;
  onChange: (value: V | undefined) => void;
  searchable?: boolean;
  w: number;
}) {
  return (
    <Select
      label={label}
      placeholder={placeholder}
      data={data}
      value={value ?? null}
      onChange={(selected) => onChange((selected as V | null) ?? undefined)}
      clearable
      searchable={searchable}
      w={w}
    />
  );
}
