// db-extension-outdated: an extension's installed version is not the version the
// server's packages provide (pg_available_extensions.default_version). The server was
// upgraded but ALTER EXTENSION ... UPDATE never ran, so fixes in the extension's SQL
// (some of them security fixes) are not in this database (splinter 0022).

import { quoteIdent } from '../../identifier';
import { LiveRule, liveMeta } from '../rule';

export const dbExtensionOutdated: LiveRule = {
  meta: liveMeta('db-extension-outdated', 'info', "An extension's installed version differs from the default version the server's packages provide: ALTER EXTENSION ... UPDATE never ran."),
  check(s, ctx) {
    for (const e of s.extensions) {
      if (e.defaultVersion === null || e.version === e.defaultVersion) continue;
      ctx.report({
        objectKind: 'extension',
        object: e.name,
        message: `Extension "${e.name}" is at version ${e.version} but the server provides ${e.defaultVersion}: fixes in its newer scripts are not applied here. Read its release notes, then ALTER EXTENSION ${quoteIdent(e.name)} UPDATE.`,
      });
    }
  },
};
