// The layering of pgwarden (../shared/DESIGN.md "Where each thing lives"), checked by
// `node scripts/layering.mjs` in the typecheck layer of `npm test`. Type-only imports
// vanish at compile time and are not dependencies.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'core/ is pure analysis: nothing from the database, LSP, CLI or client layers, and no driver or LSP library.',
      severity: 'error',
      from: { path: '^server/src/core/' },
      to: { path: ['^server/src/(db|lsp|cli|shared)/', '^server/src/server\\.ts$', '^client/', 'node_modules/(pg|pg-[a-z-]+|pgpass|vscode-languageserver[a-z-]*|vscode-languageclient|vscode)/'] },
    },
    {
      name: 'client-imports-only-shared',
      comment: 'The client is UI: from the server tree it imports only the shared module (protocol, sealing, profile schema).',
      severity: 'error',
      from: { path: '^client/' },
      to: { path: '^server/src/(?!shared/)' },
    },
    {
      name: 'cli-reaches-no-lsp',
      comment: 'The CLI is a front end on core and db: no LSP library, not even through another module.',
      severity: 'error',
      from: { path: '^server/src/cli/' },
      to: { path: ['node_modules/vscode-languageserver[a-z-]*/', 'node_modules/vscode-languageclient/', '^server/src/lsp/'], reachable: true },
    },
    {
      name: 'db-is-io-only',
      comment: 'db/ does I/O and SQL text generation; it never reaches into the language server or the CLI.',
      severity: 'error',
      from: { path: '^server/src/db/' },
      to: { path: ['^server/src/(lsp|cli)/', '^server/src/server\\.ts$'] },
    },
    {
      name: 'cli-through-db-index',
      comment: 'The CLI uses the database API through db/index.ts only.',
      severity: 'error',
      from: { path: '^server/src/cli/' },
      to: { path: '^server/src/db/(?!index\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: false,
    exclude: { path: '^(dist|out|test|scripts)/' },
  },
};
