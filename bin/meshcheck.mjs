#!/usr/bin/env node
// The installed `meshcheck` command. meshcheck is written in TypeScript and runs through tsx's loader
// (one of its dependencies), as `npm run validate` runs it with `node --import tsx`.
//
// Loading can fail before cli/main.ts is there to decide the exit code (tsx missing from an install, a
// module that does not load): Node would exit 1, which tells a pipeline the lab does not conform. It is
// a crash, so "could not tell" (3), as cli/main.ts says of every crash; so is an exception thrown while
// it loads, outside any promise (cli/exit.mjs).
import { exitThreeOnCrash, exitWith } from '../cli/exit.mjs';

exitThreeOnCrash();
try {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
} catch (error) {
  process.stderr.write(`meshcheck: crashed — could not tell (exit 3): ${error?.stack ?? String(error)}\n`);
  exitWith(3);
}
