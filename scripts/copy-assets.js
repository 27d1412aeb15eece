// Copies what the compiled server reads at run time next to it: the generated SQL migrations.
const { cpSync } = require('node:fs');
cpSync('src/store/migrations', 'dist/src/store/migrations', { recursive: true });
