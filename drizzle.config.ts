import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new migration after a change to src/store/schema.ts.
export default defineConfig({
  dialect: 'postgresql',
  // One file per area (schema.ts: conversations and transcript; schema.<area>.ts: what each area adds).
  schema: './src/store/schema*.ts',
  out: './src/store/migrations',
});
