// The app icons, drawn at build time (no image files in the repository, no network): a white
// e-KTP card with a red band, a portrait and text lines, on the Jemput blue. PNGs are encoded
// here with node:zlib; the vite plugin below emits them into dist/icons/.
import { deflateSync } from 'node:zlib';
import type { Plugin } from 'vite';

type Rgba = [number, number, number, number];
const BLUE: Rgba = [11, 92, 138, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const RED: Rgba = [206, 38, 38, 255];
const LIGHT: Rgba = [163, 196, 219, 255];

/** Signed distance to a rounded rectangle (negative inside). */
function roundedRect(x: number, y: number, x0: number, y0: number, x1: number, y1: number, r: number): number {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const qx = Math.abs(x - cx) - ((x1 - x0) / 2 - r);
  const qy = Math.abs(y - cy) - ((y1 - y0) / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** The colour at a point of the unit square; `maskable` fills the whole square (the OS crops it). */
function shade(x: number, y: number, maskable: boolean): Rgba | null {
  // Maskable icons keep their content inside the central 80% circle: shrink it a little.
  const s = maskable ? 0.8 : 1;
  const u = (x - 0.5) / s + 0.5;
  const v = (y - 0.5) / s + 0.5;
  if (!maskable && roundedRect(x, y, 0, 0, 1, 1, 0.2) > 0) return null;
  const card = roundedRect(u, v, 0.14, 0.26, 0.86, 0.74, 0.05);
  if (card > 0) return BLUE;
  if (v < 0.34) return RED;
  if (Math.hypot(u - 0.31, v - 0.47) < 0.07) return BLUE;
  if (roundedRect(u, v, 0.21, 0.55, 0.41, 0.74, 0.06) < 0) return BLUE;
  for (const [x1, y0] of [[0.76, 0.42], [0.7, 0.51], [0.74, 0.6]] as const) {
    if (roundedRect(u, v, 0.48, y0, x1, y0 + 0.045, 0.02) < 0) return LIGHT;
  }
  return WHITE;
}

/** Draws the icon at `size` pixels with 4×4 supersampling. */
export function drawIcon(size: number, maskable: boolean): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = shade((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size, maskable);
          if (!c) continue;
          r += c[0]; g += c[1]; b += c[2]; a += c[3];
        }
      }
      const i = (py * size + px) * 4;
      const count = n * n;
      const alpha = a / count;
      // Colour averaged over the covered samples only (no dark fringe on transparent edges).
      const covered = a / 255 || 1;
      pixels[i] = Math.round(r / covered);
      pixels[i + 1] = Math.round(g / covered);
      pixels[i + 2] = Math.round(b / covered);
      pixels[i + 3] = Math.round(alpha);
    }
  }
  return pixels;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** RGBA pixels → PNG file bytes (8-bit RGBA, no filtering). */
export function encodePng(size: number, pixels: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    Buffer.from(pixels.subarray(y * size * 4, (y + 1) * size * 4)).copy(raw, y * (size * 4 + 1) + 1);
  }
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array())]);
}

export const ICONS = [
  { file: 'icons/icon-192.png', size: 192, maskable: false },
  { file: 'icons/icon-512.png', size: 512, maskable: false },
  { file: 'icons/icon-maskable-512.png', size: 512, maskable: true },
  { file: 'icons/apple-touch-icon-180.png', size: 180, maskable: true },
] as const;

/** Emits the PNG icons into the build output (and serves them in dev). */
export function iconsPlugin(): Plugin {
  const render = (icon: (typeof ICONS)[number]) => encodePng(icon.size, drawIcon(icon.size, icon.maskable));
  return {
    name: 'jemput-icons',
    generateBundle() {
      for (const icon of ICONS) this.emitFile({ type: 'asset', fileName: icon.file, source: render(icon) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const icon = ICONS.find((i) => req.url === `/${i.file}`);
        if (!icon) return next();
        res.setHeader('content-type', 'image/png');
        res.end(render(icon));
      });
    },
  };
}
