import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { trayIconPath } from '../../electron/main/tray-icon-path.js';
import { repoRoot } from '../support/chromium.js';

test('in development the tray images are read from <appRoot>/resources/tray, and they exist with their @2x', () => {
  for (const platform of ['win32', 'linux', 'darwin'] as const) {
    const icon = trayIconPath({ platform, isPackaged: false, resourcesPath: '/nowhere', appRoot: repoRoot });
    assert.equal(path.dirname(icon), path.join(repoRoot, 'resources', 'tray'));
    assert.ok(existsSync(icon), icon);
    assert.ok(existsSync(icon.replace(/\.png$/, '@2x.png')), `${icon} @2x`);
  }
  assert.equal(path.basename(trayIconPath({ platform: 'darwin', isPackaged: false, resourcesPath: '', appRoot: repoRoot })), 'trayTemplate.png', 'the menu bar recolours a Template image');
  assert.equal(path.basename(trayIconPath({ platform: 'win32', isPackaged: false, resourcesPath: '', appRoot: repoRoot })), 'tray.png');
});

test('packaged, they are read beside the asar, where electron-builder.yml copies resources/tray', () => {
  const resourcesPath = path.join('/opt', 'MX Spool', 'resources');
  assert.equal(trayIconPath({ platform: 'linux', isPackaged: true, resourcesPath, appRoot: path.join(resourcesPath, 'app.asar') }), path.join(resourcesPath, 'tray', 'tray.png'));
  const config = readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8');
  assert.match(config, /extraResources:\s*\n\s*- from: resources\/tray\s*\n\s*to: tray\b/, 'electron-builder ships resources/tray as <resources>/tray');
});
