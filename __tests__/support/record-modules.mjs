// Preloaded with `node --import` by tests that need to know which files a run loads (the
// bundle's chunks): appends every file: URL the module loader loads to $OCP_LOADED_MODULES.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const log = process.env.OCP_LOADED_MODULES;
if (log) {
  registerHooks({
    load(url, context, nextLoad) {
      if (url.startsWith('file:')) appendFileSync(log, `${url}\n`);
      return nextLoad(url, context);
    },
  });
}
