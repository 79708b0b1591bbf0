// electron-builder.yml cannot be exercised here (installers need the Electron binary, see docs/packaging.md),
// so this checks what can be checked without building: the config passes electron-builder's own schema, names
// the agreed targets, points only at files that exist, and the icons have the sizes each platform needs and
// were made from the current resources/icon.svg.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Configuration } from 'electron-builder';

const root = fileURLToPath(new URL('../../', import.meta.url));
const inRoot = (...parts: string[]): string => path.join(root, ...parts);

// The loader and validator of the electron-builder we build with, resolved through it (app-builder-lib is
// its dependency, not ours). They are internal modules without a public entry point, hence the local types.
interface BuilderConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Configuration>;
  validateConfiguration(config: Configuration, debugLogger: unknown): Promise<void>;
}
interface BuilderUtilModule {
  DebugLogger: new (isEnabled: boolean) => unknown;
  setPrinter(printer: ((message: string) => void) | null): void;
}
const requireFromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
const builderConfig = requireFromBuilder('app-builder-lib/out/util/config/config.js') as BuilderConfigModule;
const builderUtil = requireFromBuilder('builder-util') as BuilderUtilModule;

function validate(config: Configuration): Promise<void> {
  return builderConfig.validateConfiguration(config, new builderUtil.DebugLogger(false));
}

let config: Configuration;
before(async () => {
  // getConfig reads electron-builder.yml exactly as `electron-builder` does (and merges package.json "build").
  // Its "loaded configuration" line would land in the test runner's output, so the log is muted meanwhile.
  builderUtil.setPrinter(() => {});
  try {
    config = await builderConfig.getConfig(root, null, null);
  } finally {
    builderUtil.setPrinter(null);
  }
});

// ---- what electron-builder itself would reject ----

test("electron-builder's own schema accepts electron-builder.yml", async () => {
  await validate(config);
});

test('the schema check is live: an unknown option is rejected', async () => {
  await assert.rejects(validate({ ...config, notAnOption: true } as Configuration), /notAnOption/);
});

// ---- what we agreed to ship ----

type TargetList = Configuration['linux'] extends infer P ? (P extends { target?: infer T } ? T : never) : never;

/** Target name → architectures, from the `target` list of one platform. */
function targetsOf(platformTargets: TargetList | undefined): Map<string, string[]> {
  const list = platformTargets == null ? [] : Array.isArray(platformTargets) ? platformTargets : [platformTargets];
  return new Map(
    list.map((entry) => {
      if (typeof entry === 'string') return [entry, []];
      const arch = entry.arch == null ? [] : Array.isArray(entry.arch) ? entry.arch : [entry.arch];
      return [entry.target, arch.map(String)];
    }),
  );
}

/** The `files` patterns; electron-builder's loader normalises the YAML list into [{ filter: [...] }]. */
function filePatterns(): string[] {
  const entries = config.files == null ? [] : Array.isArray(config.files) ? config.files : [config.files];
  return entries.flatMap((entry) => {
    if (typeof entry === 'string') return [entry];
    const filter = entry.filter ?? [];
    return Array.isArray(filter) ? filter : [filter];
  });
}

test('identity, folders and the files that go into the app', () => {
  assert.equal(config.appId, 'org.mxspool.desktop');
  assert.equal(config.productName, 'MX Spool');
  assert.deepEqual(config.directories, { output: 'release', buildResources: 'resources' });
  assert.deepEqual(filePatterns(), ['dist/electron/**/*', '!dist/**/*.map', '!dist/**/*.d.ts', 'renderer/dist/**/*', 'package.json']);
});

test('Windows: an assisted per-user NSIS installer for x64', () => {
  assert.deepEqual(targetsOf(config.win?.target), new Map([['nsis', ['x64']]]));
  assert.equal(config.nsis?.oneClick, false);
  assert.equal(config.nsis?.allowToChangeInstallationDirectory, true);
  assert.equal(config.nsis?.perMachine, false);
  assert.equal(config.nsis?.createDesktopShortcut, true);
});

test('macOS: a dmg each for Intel and Apple silicon, hardened runtime', () => {
  assert.deepEqual(targetsOf(config.mac?.target), new Map([['dmg', ['x64', 'arm64']]]));
  assert.equal(config.mac?.category, 'public.app-category.utilities');
  assert.equal(config.mac?.hardenedRuntime, true);
  // Both dmgs land in one folder: without ${arch} in the name the x64 one has no arch suffix at all.
  assert.match(String(config.dmg?.artifactName), /\$\{arch\}/);
});

test('Linux: AppImage and deb, with the metadata a deb needs', () => {
  const targets = targetsOf(config.linux?.target);
  assert.deepEqual([...targets.keys()].sort(), ['AppImage', 'deb']);
  assert.equal(config.linux?.category, 'Network;Email');
  assert.match(String(config.linux?.maintainer), /^.+ <[^@\s]+@[^@\s]+>$/, 'deb maintainer as "Name <email>"');
  assert.ok(config.linux?.synopsis, 'linux.synopsis');
  // fpm refuses a deb without a project URL; package.json has none, so it comes from extraMetadata.
  assert.match(String((config.extraMetadata as { homepage?: unknown } | null | undefined)?.homepage), /^https:\/\//);
});

test('signing is optional: nothing forces it and no certificate is written into the config', () => {
  assert.notEqual(config.forceCodeSigning, true);
  for (const platform of [config, config.win, config.mac, config.linux]) {
    assert.equal((platform as { cscLink?: unknown } | null | undefined)?.cscLink, undefined, 'certificates come from CSC_LINK, not the config');
    assert.equal((platform as { cscKeyPassword?: unknown } | null | undefined)?.cscKeyPassword, undefined, 'passwords come from CSC_KEY_PASSWORD');
  }
  assert.notEqual(config.mac?.identity, null, 'identity: null would skip signing even when a Developer ID is there');
});

// ---- every file the config names exists ----

async function exists(file: string): Promise<'file' | 'dir' | undefined> {
  const info = await stat(file).catch(() => undefined);
  return info === undefined ? undefined : info.isDirectory() ? 'dir' : 'file';
}

/** Like electron-builder's getResource: an icon path is looked up in buildResources first, then the project. */
async function resolveResource(relative: string): Promise<string> {
  const candidates = [inRoot(config.directories?.buildResources ?? 'build', relative), inRoot(relative)];
  for (const candidate of candidates) if (await exists(candidate)) return candidate;
  assert.fail(`${relative} is named in electron-builder.yml but exists in neither resources/ nor the project`);
}

test('the buildResources folder and every icon named exist', async () => {
  assert.equal(await exists(inRoot(config.directories?.buildResources ?? 'build')), 'dir');
  assert.equal(await exists(await resolveResource(String(config.win?.icon))), 'file');
  assert.equal(await exists(await resolveResource(String(config.mac?.icon))), 'file');
  assert.equal(await exists(await resolveResource(String(config.linux?.icon))), 'dir');
});

test('extraResources ship the tray icons from resources/tray as tray/', async () => {
  const entries = (Array.isArray(config.extraResources) ? config.extraResources : [config.extraResources]).filter((entry) => entry != null);
  assert.ok(entries.length > 0, 'extraResources');
  for (const entry of entries) {
    const from = typeof entry === 'string' ? entry : String(entry.from);
    assert.equal(await exists(inRoot(from)), 'dir', `extraResources from ${from}`);
  }
  const tray = entries.find((entry) => typeof entry !== 'string' && entry.from === 'resources/tray');
  assert.ok(tray !== undefined && typeof tray !== 'string', 'resources/tray is shipped');
  assert.equal(tray.to, 'tray');
  const shipped = await readdir(inRoot('resources', 'tray'));
  for (const name of ['tray.png', 'tray@2x.png', 'trayTemplate.png', 'trayTemplate@2x.png']) assert.ok(shipped.includes(name), `resources/tray/${name}`);
});

test('package.json main is what `npm run build` produces and `files` ships', async () => {
  const pkg = JSON.parse(await readFile(inRoot('package.json'), 'utf8')) as { main: string };
  const tsconfig = JSON.parse(await readFile(inRoot('tsconfig.node.json'), 'utf8')) as { compilerOptions: { rootDir: string; outDir: string } };
  // The built file is absent in a fresh checkout, so check the path: tsc maps rootDir/x.ts to outDir/x.js.
  const { rootDir, outDir } = tsconfig.compilerOptions;
  const relativeToOut = path.posix.relative(path.posix.normalize(outDir), pkg.main);
  assert.ok(!relativeToOut.startsWith('..'), `main ${pkg.main} is inside tsc's outDir ${outDir}`);
  const source = path.posix.join(rootDir, relativeToOut).replace(/\.js$/, '.ts');
  assert.equal(await exists(inRoot(source)), 'file', `main ${pkg.main} is compiled from ${source}`);
  const shippedBy = filePatterns().filter((pattern) => pattern.endsWith('/**/*') && pkg.main.startsWith(pattern.slice(0, -'**/*'.length)));
  assert.ok(shippedBy.length > 0, `a \`files\` pattern ships ${pkg.main}`);
});

test('every installer script builds from a clean dist (tsc -b never removes the output of a deleted source)', async () => {
  const pkg = JSON.parse(await readFile(inRoot('package.json'), 'utf8')) as { scripts: Record<string, string> };
  const installers = Object.entries(pkg.scripts).filter(([name]) => name === 'dist' || name.startsWith('dist:'));
  assert.deepEqual(installers.map(([name]) => name).sort(), ['dist', 'dist:linux', 'dist:mac', 'dist:win']);
  for (const [name, command] of installers) assert.match(command, /^node scripts\/clean-build\.mjs && npm run build && electron-builder\b/, name);
  assert.equal(await exists(inRoot('scripts/clean-build.mjs')), 'file');
});

// ---- the generated icons ----

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR, which always follows the signature. */
function pngSize(data: Buffer, what: string): { width: number; height: number } {
  assert.ok(data.subarray(0, 8).equals(PNG_SIGNATURE) && data.toString('latin1', 12, 16) === 'IHDR', `${what} is a PNG`);
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

async function assertSquarePng(relative: string, size: number): Promise<void> {
  assert.deepEqual(pngSize(await readFile(inRoot(relative)), relative), { width: size, height: size }, relative);
}

test('icon.png and the Linux icon set have their sizes', async () => {
  await assertSquarePng('resources/icon.png', 1024);
  for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) await assertSquarePng(`resources/icons/${size}x${size}.png`, size);
});

test('the tray icons are 16 px and 32 px (@2x)', async () => {
  for (const name of ['tray', 'trayTemplate']) {
    await assertSquarePng(`resources/tray/${name}.png`, 16);
    await assertSquarePng(`resources/tray/${name}@2x.png`, 32);
  }
});

test('icon.ico holds 16, 24, 32, 48, 64, 128 and 256 px', async () => {
  const ico = await readFile(inRoot('resources', 'icon.ico'));
  assert.equal(ico.readUInt16LE(0), 0, 'ICONDIR reserved');
  assert.equal(ico.readUInt16LE(2), 1, 'ICONDIR type 1 = icon');
  const sizes: number[] = [];
  for (let index = 0; index < ico.readUInt16LE(4); index++) {
    const entry = 6 + 16 * index;
    const size = ico.readUInt8(entry) || 256; // a width of 256 is stored as 0
    assert.equal(ico.readUInt8(entry + 1) || 256, size, 'square');
    const [length, offset] = [ico.readUInt32LE(entry + 8), ico.readUInt32LE(entry + 12)];
    assert.ok(offset + length <= ico.length, `entry ${size} px lies inside the file`);
    const image = ico.subarray(offset, offset + length);
    // Each image is a PNG or a BMP without its file header; a BMP's height counts the AND mask, so it doubles.
    const width = image.subarray(0, 8).equals(PNG_SIGNATURE) ? pngSize(image, `ico ${size} px`).width : image.readInt32LE(4);
    assert.equal(width, size, `ico entry ${size} px holds a ${width} px image`);
    sizes.push(size);
  }
  assert.deepEqual(sizes.sort((a, b) => a - b), [16, 24, 32, 48, 64, 128, 256]);
});

test('icon.icns holds the macOS iconset sizes 16..512 px, each with @2x', async () => {
  const icns = await readFile(inRoot('resources', 'icon.icns'));
  assert.equal(icns.toString('latin1', 0, 4), 'icns');
  assert.equal(icns.readUInt32BE(4), icns.length, 'the header length is the file length');
  const chunks = new Map<string, Buffer>();
  for (let offset = 8; offset < icns.length; ) {
    const length = icns.readUInt32BE(offset + 4);
    assert.ok(length >= 8 && offset + length <= icns.length, `chunk at ${offset} fits`);
    chunks.set(icns.toString('latin1', offset, offset + 4), icns.subarray(offset + 8, offset + length));
    offset += length;
  }
  // OSType → pixels for the PNG chunks of an iconset (icon_16x16@2x is ic11, ..., icon_512x512@2x is ic10).
  const pngChunks: Record<string, number> = { ic11: 32, ic12: 64, ic07: 128, ic13: 256, ic08: 256, ic14: 512, ic09: 512, ic10: 1024 };
  for (const [osType, size] of Object.entries(pngChunks)) {
    const data = chunks.get(osType);
    assert.ok(data !== undefined, `icns has ${osType} (${size} px)`);
    assert.deepEqual(pngSize(data, `icns ${osType}`), { width: size, height: size }, osType);
  }
  // 16 and 32 px at 1x: a PNG chunk (icp4/icp5), or the RGB one with its 8-bit mask (one byte a pixel).
  for (const [png, rgb, mask, size] of [['icp4', 'is32', 's8mk', 16], ['icp5', 'il32', 'l8mk', 32]] as const) {
    const ok = chunks.has(png) || (chunks.has(rgb) && chunks.get(mask)?.length === size * size);
    assert.ok(ok, `icns has ${size} px at 1x (${png}, or ${rgb} + ${mask})`);
  }
});

test('the icons were generated from the current resources/icon.svg (else run `npm run icons`)', async () => {
  const svg = (await readFile(inRoot('resources', 'icon.svg'), 'utf8')).replace(/\r\n/g, '\n');
  const digest = createHash('sha256').update(svg).digest('hex');
  const recorded = (await readFile(inRoot('resources', 'icons.sha256'), 'utf8')).trim();
  assert.equal(recorded, `${digest}  icon.svg`);
});
