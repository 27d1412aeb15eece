import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';

// The source folder works under tsx and from dist/ (where the build does not copy these files).
const WEB = [path.join(__dirname, 'web'), path.resolve(__dirname, '../../../src/console/web')].find((p) => existsSync(p))!;
// The package's exports hide dist/; its main file is build/cjs/index.js, three levels below the root.
const SOCKET_IO_CLIENT = path.resolve(require.resolve('socket.io-client'), '../../../dist/socket.io.min.js');

/** The console's page, script, styles and the socket.io browser client, under /console. */
export function mountConsoleAssets(http: Express): void {
  http.get('/console/vendor/socket.io.min.js', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(SOCKET_IO_CLIENT);
  });
  http.use('/console', express.static(WEB, { index: 'index.html', maxAge: 0 }));
}
