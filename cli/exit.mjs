// Plain JavaScript: bin/meshcheck.mjs loads it before tsx's loader is there.

/**
 * Whether the CLI chose the exit code. Any other way out is a crash it did not foresee: an exception
 * thrown outside main's promise (a timer, an event handler) makes Node exit 1, and 1 tells a pipeline the
 * lab does not conform; a top-level await that never settles exits 13. Those become 3, "could not tell"
 * — never 1, and never 2, which says the targets file is wrong.
 */
let decided = false;
let installed = false;

/** From now on, an exit the CLI did not choose is 3. Once per process, however often it is called. */
export function exitThreeOnCrash() {
  if (installed) return;
  installed = true;
  process.on('exit', (code) => {
    if (!decided && code !== 0) process.exitCode = 3;
  });
  process.on('uncaughtExceptionMonitor', () => {
    // Node prints the error next; this line says what the exit code will mean.
    process.stderr.write('meshcheck: crashed (the uncaught error follows) — could not tell (exit 3)\n');
  });
}

/** Exits with a code the CLI chose. */
export function exitWith(code) {
  decided = true;
  process.exit(code);
}
