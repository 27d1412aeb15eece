import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Screenshots go under test-artifacts/ (gitignored) for people to look at. */
export function artifactPath(name: string): string {
  const dir = path.resolve(__dirname, '../../test-artifacts');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 820 };
