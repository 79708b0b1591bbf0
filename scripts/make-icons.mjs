// Renders every icon the installers and the tray need from the one source image, resources/icon.svg.
// The outputs are committed (electron-builder reads them from resources/); this script is how they are
// remade after the SVG changes. Usage: npm run icons
//
// Each size is rendered from the SVG itself rather than scaled down from the 1024 px image, so small sizes
// are as sharp as the renderer can make them. resources/icons.sha256 records which SVG the icons came from:
// test/packaging/electron-builder-config.test.ts fails when the SVG was edited and this script not rerun.
import { Icns, IcnsImage } from '@fiahfy/icns';
import { Resvg } from '@resvg/resvg-js';
import pngToIco from 'png-to-ico';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const resources = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources');

// Windows picks the entry nearest the size it needs (16 px in lists, 256 px in large tiles).
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// electron-builder's `linux.icon` takes a folder of <N>x<N>.png and installs them into the hicolor theme.
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
// The entries of a macOS .iconset (16..512 px, each also @2x), as OSType chunk → pixels. is32/il32 (with
// their s8mk/l8mk alpha masks) are the old RGB forms of 16 and 32 px that every macOS version reads; the
// ic* chunks hold PNGs.
const ICNS_CHUNKS = [
  ['is32', 16], ['s8mk', 16], ['il32', 32], ['l8mk', 32],
  ['ic11', 32], ['ic12', 64], ['ic07', 128], ['ic13', 256], ['ic08', 256], ['ic14', 512], ['ic09', 512], ['ic10', 1024],
];

/** The SVG's digest as recorded in icons.sha256; line endings are normalised so a Windows checkout agrees. */
function svgDigest(svgText) {
  return createHash('sha256').update(svgText.replace(/\r\n/g, '\n')).digest('hex');
}

function render(svg, size) {
  // No text in the icon, so no fonts: faster, and the same pixels on every machine.
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
}

function replaceOnce(text, search, replacement, why) {
  if (!text.includes(search)) throw new Error(`resources/icon.svg no longer contains ${JSON.stringify(search)}, needed ${why}`);
  return text.replace(search, replacement);
}

/**
 * The macOS menu-bar template: the glyph alone, black on transparent (macOS uses only the alpha and tints
 * it for light or dark menu bars), cropped to the glyph because a menu-bar icon has no tile around it.
 * The SVG cuts its details out with masks, so recolouring its classes is enough.
 */
function templateOf(svg) {
  const black = replaceOnce(svg, '</style>', '.tile { fill: none; } .paper, .badge { fill: #000000; }\n</style>', 'to recolour the template');
  return replaceOnce(black, 'viewBox="0 0 1024 1024"', 'viewBox="160 160 704 704"', 'to crop the template to the glyph');
}

async function write(relative, data) {
  const file = path.join(resources, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
  console.log(`wrote resources/${relative.split(path.sep).join('/')} (${data.length} bytes)`);
}

async function main() {
  const svg = await readFile(path.join(resources, 'icon.svg'), 'utf8');
  const sizes = [...new Set([...ICO_SIZES, ...LINUX_SIZES, ...ICNS_CHUNKS.map(([, size]) => size)])];
  const png = new Map(sizes.map((size) => [size, render(svg, size)]));
  const at = (size) => png.get(size);

  await write('icon.png', at(1024));
  for (const size of LINUX_SIZES) await write(path.join('icons', `${size}x${size}.png`), at(size));
  await write('icon.ico', await pngToIco(ICO_SIZES.map(at)));
  const icns = new Icns();
  for (const [osType, size] of ICNS_CHUNKS) icns.append(IcnsImage.fromPNG(at(size), osType));
  await write('icon.icns', icns.data);

  // Windows and Linux trays show the app icon itself; macOS wants the template (see templateOf).
  const template = templateOf(svg);
  await write(path.join('tray', 'tray.png'), at(16));
  await write(path.join('tray', 'tray@2x.png'), at(32));
  await write(path.join('tray', 'trayTemplate.png'), render(template, 16));
  await write(path.join('tray', 'trayTemplate@2x.png'), render(template, 32));

  // Written last: if a step above fails, the old digest stays and the packaging test reports stale icons.
  await write('icons.sha256', `${svgDigest(svg)}  icon.svg\n`);
}

await main();
