/** From now on, an exit the CLI did not choose is 3 ("could not tell"). Once per process. */
export function exitThreeOnCrash(): void;
/** Exits with a code the CLI chose. */
export function exitWith(code: number): never;
