// Lets a child `node` run the project's TypeScript sources directly: Node 24 strips the types,
// and this hook maps the `.js` specifiers the sources use (NodeNext style) to their `.ts` files.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (/^\.{1,2}\//.test(specifier) && specifier.endsWith('.js')) {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      }
      throw error;
    }
  },
});
