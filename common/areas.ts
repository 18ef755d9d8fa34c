/**
 * The checklist's areas in the checklist's own order (CHECKLIST.md): the
 * network first, as a lab is built and as a person reads a report, then
 * what rides on it. `--only` takes the names; a check id's letters name its
 * area (`N13` → network). One list, read by the CLI, the reports and the
 * project's tests.
 */
export const CHECKLIST_AREAS = [
  { name: 'network', letter: 'N' },
  { name: 'endpoints', letter: 'E' },
  { name: 'data-protection', letter: 'D' },
  { name: 'observability', letter: 'O' },
  { name: 'application', letter: 'S' },
  { name: 'privatelink', letter: 'P' },
] as const;

export type AreaName = (typeof CHECKLIST_AREAS)[number]['name'];

export const AREA_NAMES: readonly AreaName[] = CHECKLIST_AREAS.map((a) => a.name);

/** The area a check id or a section title (`N · …`) begins with; undefined when none does. */
export function areaOfLetter(letter: string): AreaName | undefined {
  return CHECKLIST_AREAS.find((a) => a.letter === letter)?.name;
}

/** Where an area (`network`) stands in the checklist; unknown ones last. */
export function areaRank(name: string): number {
  const i = CHECKLIST_AREAS.findIndex((a) => a.name === name);
  return i === -1 ? CHECKLIST_AREAS.length : i;
}

/** Where a check id or a section title (`N7`, `N · VPCs…`) stands in the checklist; unknown ones last. */
export function checklistRank(idOrSection: string): number {
  const letter = /^([A-Z]+)(?:\d| ·)/.exec(idOrSection)?.[1] ?? '';
  return areaRank(areaOfLetter(letter) ?? '');
}
