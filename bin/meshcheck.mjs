#!/usr/bin/env node
// The installed `meshcheck` command. meshcheck is written in TypeScript and runs through tsx's loader
// (one of its dependencies), as `npm run validate` runs it with `node --import tsx`.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
