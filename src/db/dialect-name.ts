// The databases the project speaks to. The names double as the per-dialect section tags of
// revision files (`-- migrate:upgrade postgresql`).

export const dialectNames = ['postgresql', 'mysql', 'sqlite'] as const;
export type DialectName = (typeof dialectNames)[number];

export function isDialectName(value: string): value is DialectName {
  return (dialectNames as readonly string[]).includes(value);
}
