// Copies what the compiled server reads at run time next to it: the generated SQL migrations and the
// browser assets of the web chat widget and the staff console.
const { cpSync } = require('node:fs');
cpSync('src/store/migrations', 'dist/src/store/migrations', { recursive: true });
cpSync('channels/webchat/widget', 'dist/channels/webchat/widget', { recursive: true });
cpSync('src/console/web', 'dist/src/console/web', { recursive: true });
