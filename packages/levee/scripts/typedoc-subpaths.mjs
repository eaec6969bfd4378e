// TypeDoc plugin (see typedoc.json): names each module of the API reference
// by the specifier users import it with, `@leveejs/levee/fetch` rather than
// the source path `integrations/fetch`. The names come from the package's
// `exports`, so they cannot drift from what is published; a documented module
// that no export builds is reported as a warning, which `npm run docs` treats
// as an error.
import { readFileSync } from 'node:fs';
import { Converter, ReflectionKind } from 'typedoc';

const pkgUrl = new URL('../package.json', import.meta.url);

/** Module name as TypeDoc derives it (path under src/, no extension) → import specifier. */
function specifiers() {
  const pkg = JSON.parse(readFileSync(pkgUrl, 'utf8'));
  const names = new Map();
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const file = typeof target === 'string' ? target : target.default;
    const match = /^\.\/dist\/(.+)\.js$/.exec(file);
    if (match === null) continue; // ./package.json
    names.set(match[1], subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);
  }
  return names;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const names = specifiers();
    for (const module of context.project.getChildrenByKind(ReflectionKind.Module)) {
      const name = names.get(module.name);
      if (name === undefined) {
        app.logger.warn(
          `typedoc-subpaths: module ${module.name} is built by no export of package.json`,
        );
      } else {
        module.name = name;
      }
    }
  });
}
