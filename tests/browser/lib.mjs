// Shared launcher for the browser tests: Debian's chromium, headless, phone-sized pages.
// Playwright gives every launch a fresh temporary profile. The flags keep Chromium from calling out to the network this machine does not have.
import { chromium } from 'playwright-core';

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}
