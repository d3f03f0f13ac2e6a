#!/usr/bin/env node
// The `zhijian` command. The sources are TypeScript; tsx compiles them on the fly so that
// `npx zhijian` works from a clone without a separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv);
