// Placeholder pictures for the demo content: an SVG drawn from a small spec (kind, hue, seed),
// rasterised by sharp. The same spec always gives the same picture, so the demo looks the same on
// every start without shipping binary files. Photos are JPEG (1600x1067 by default), logos PNG
// (400x400 by default, transparent outside the badge).
import { loadSharp } from '../modules/media/sharp.ts';
import { mulberry32 } from '../lib/random.ts';

export type DemoImageSpec = {
  kind: 'landscape' | 'building' | 'people' | 'logo' | 'chart' | 'event';
  /** Main hue of the picture, 0–360. */
  hue: number;
  /** Drives the composition; the same seed gives the same picture. */
  seed: number;
  /** Logo initials; the sign on a building, the banner at an event, the title of a chart. */
  label?: string;
};

const PHOTO_W = 1600;
const PHOTO_H = 1067;
const LOGO_SIZE = 400;

type Rand = {
  (): number;
  range(min: number, max: number): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
};

// mulberry32: small, fast and good enough for shapes.
const makeRand = (seed: number): Rand => {
  // Scramble the seed first (murmur3 finaliser) so that neighbouring seeds look unrelated.
  let state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  state = Math.imul(state ^ (state >>> 16), 0x85ebca6b) >>> 0;
  state = Math.imul(state ^ (state >>> 13), 0xc2b2ae35) >>> 0;
  state = (state ^ (state >>> 16)) >>> 0;
  const next = mulberry32(state);
  const rand = next as Rand;
  rand.range = (min, max) => min + (max - min) * next();
  rand.int = (min, max) => Math.floor(min + (max - min + 1) * next());
  rand.pick = (items) => items[Math.floor(next() * items.length)]!;
  return rand;
};

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/** HSL to `#rrggbb`; librsvg understands hex everywhere. */
const hsl = (hue: number, saturation: number, lightness: number): string => {
  const h = (((hue % 360) + 360) % 360) / 360;
  const s = clamp(saturation, 0, 100) / 100;
  const l = clamp(lightness, 0, 100) / 100;
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t0: number): string => {
    let t = t0;
    if (t < 0) t += 1;
    if (t > 1) t -= 1;
    let v = p;
    if (t < 1 / 6) v = p + (q - p) * 6 * t;
    else if (t < 1 / 2) v = q;
    else if (t < 2 / 3) v = p + (q - p) * (2 / 3 - t) * 6;
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(h + 1 / 3)}${channel(h)}${channel(h - 1 / 3)}`;
};

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

const n = (value: number): string => (Math.round(value * 10) / 10).toString();

const linear = (id: string, stops: [number, string, number?][], x2 = 0, y2 = 1): string =>
  `<linearGradient id="${id}" x1="0" y1="0" x2="${x2}" y2="${y2}">${stops
    .map(([offset, color, opacity]) => `<stop offset="${offset}" stop-color="${color}"${opacity === undefined ? '' : ` stop-opacity="${opacity}"`}/>`)
    .join('')}</linearGradient>`;

const radial = (id: string, stops: [number, string, number?][], cx = 0.5, cy = 0.5, r = 0.5): string =>
  `<radialGradient id="${id}" cx="${cx}" cy="${cy}" r="${r}">${stops
    .map(([offset, color, opacity]) => `<stop offset="${offset}" stop-color="${color}"${opacity === undefined ? '' : ` stop-opacity="${opacity}"`}/>`)
    .join('')}</radialGradient>`;

/** A soft darkening of the corners, the way a lens does it. */
const vignette = (strength = 0.28): { def: string; layer: string } => ({
  def: radial('vignette', [[0.55, '#000000', 0], [1, '#000000', strength]], 0.5, 0.5, 0.75),
  layer: `<rect width="${PHOTO_W}" height="${PHOTO_H}" fill="url(#vignette)"/>`,
});

/** A wavy ridge line from left to right, closed along the bottom edge. */
const ridge = (rand: Rand, base: number, amplitude: number, bottom = PHOTO_H): { path: string; at: (x: number) => number } => {
  const waves = [0, 1, 2].map((i) => ({
    amp: amplitude * rand.range(0.3, 1) / (i + 1),
    freq: rand.range(0.6, 1.6) * (i + 1) * ((2 * Math.PI) / PHOTO_W),
    phase: rand.range(0, 2 * Math.PI),
  }));
  const at = (x: number): number => base + waves.reduce((sum, w) => sum + w.amp * Math.sin(x * w.freq + w.phase), 0);
  const points: string[] = [];
  for (let x = 0; x <= PHOTO_W; x += 20) points.push(`${x},${n(at(x))}`);
  return { path: `M0,${bottom} L${points.join(' L')} L${PHOTO_W},${bottom} Z`, at };
};

const cloud = (rand: Rand, x: number, y: number, scale: number, opacity: number): string => {
  const puffs = [
    [0, 0, 70],
    [-75, 18, 48],
    [80, 16, 52],
    [-30, -28, 46],
    [38, -30, 50],
  ];
  return `<g opacity="${n(opacity)}" fill="#ffffff">${puffs
    .map(([dx, dy, r]) => `<ellipse cx="${n(x + dx! * scale)}" cy="${n(y + dy! * scale)}" rx="${n(r! * scale * rand.range(1, 1.3))}" ry="${n(r! * scale * 0.75)}"/>`)
    .join('')}</g>`;
};

const tree = (x: number, groundY: number, height: number, color: string, trunk: string, conifer: boolean): string => {
  if (conifer) {
    const w = height * 0.42;
    return `<g><rect x="${n(x - height * 0.03)}" y="${n(groundY - height * 0.2)}" width="${n(height * 0.06)}" height="${n(height * 0.2)}" fill="${trunk}"/><path d="M${n(x)},${n(groundY - height)} L${n(x + w / 2)},${n(groundY - height * 0.15)} L${n(x - w / 2)},${n(groundY - height * 0.15)} Z" fill="${color}"/></g>`;
  }
  const r = height * 0.3;
  return `<g><rect x="${n(x - height * 0.035)}" y="${n(groundY - height * 0.45)}" width="${n(height * 0.07)}" height="${n(height * 0.45)}" fill="${trunk}"/><circle cx="${n(x)}" cy="${n(groundY - height * 0.62)}" r="${n(r)}" fill="${color}"/><circle cx="${n(x - r * 0.55)}" cy="${n(groundY - height * 0.5)}" r="${n(r * 0.7)}" fill="${color}"/><circle cx="${n(x + r * 0.55)}" cy="${n(groundY - height * 0.52)}" r="${n(r * 0.72)}" fill="${color}"/></g>`;
};

const landscape = (spec: DemoImageSpec, rand: Rand): string => {
  const skyHue = spec.hue;
  const green = 95 + ((spec.hue * 7) % 40) - 10;
  const sunX = rand.range(0.15, 0.85) * PHOTO_W;
  const sunY = rand.range(0.12, 0.3) * PHOTO_H;
  const v = vignette(0.22);
  const defs = [
    linear('sky', [[0, hsl(skyHue, 55, 52)], [0.65, hsl(skyHue + 15, 60, 80)], [1, hsl(skyHue + 40, 70, 90)]]),
    radial('sun', [[0, '#fffbe8'], [0.18, '#fff3c4', 0.95], [0.45, '#ffe7a0', 0.35], [1, '#ffe7a0', 0]]),
    v.def,
  ];
  const parts: string[] = [`<rect width="${PHOTO_W}" height="${PHOTO_H}" fill="url(#sky)"/>`];
  parts.push(`<circle cx="${n(sunX)}" cy="${n(sunY)}" r="260" fill="url(#sun)"/>`);
  for (let i = 0, count = rand.int(2, 4); i < count; i++) {
    parts.push(cloud(rand, rand.range(100, PHOTO_W - 100), rand.range(90, 330), rand.range(0.7, 1.5), rand.range(0.55, 0.85)));
  }
  const layers = 4;
  let front: ((x: number) => number) | null = null;
  let last: ((x: number) => number) | null = null;
  for (let i = 0; i < layers; i++) {
    const depth = i / (layers - 1); // 0 = far away, 1 = close
    const base = PHOTO_H * (0.5 + depth * 0.22);
    const { path, at } = ridge(rand, base, 70 - depth * 25);
    const haze = 1 - depth;
    const top = hsl(green + haze * 90, 30 + depth * 25, 62 - depth * 30 + haze * 8);
    const bottom = hsl(green + haze * 80, 35 + depth * 20, 48 - depth * 26 + haze * 10);
    defs.push(linear(`hill${i}`, [[0, top], [1, bottom]]));
    parts.push(`<path d="${path}" fill="url(#hill${i})"/>`);
    if (i === 2) {
      // Field stripes on the middle hill.
      const stripes: string[] = [];
      for (let s = 0; s < 7; s++) {
        const x = rand.range(0, PHOTO_W);
        const w = rand.range(80, 220);
        stripes.push(`<path d="M${n(x)},${n(at(x) + 8)} L${n(x + w)},${n(at(x + w) + 8)} L${n(x + w + 30)},${n(at(x + w) + 60)} L${n(x + 30)},${n(at(x) + 60)} Z" fill="${hsl(green + rand.range(-40, 30), 45, rand.range(38, 58))}" opacity="0.45"/>`);
      }
      parts.push(`<g>${stripes.join('')}</g>`);
    }
    if (i === layers - 2) front = at;
    if (i === layers - 1) last = at;
  }
  if (front) {
    const at = front;
    const trees: string[] = [];
    const count = rand.int(5, 11);
    for (let t = 0; t < count; t++) {
      const x = rand.range(20, PHOTO_W - 20);
      trees.push(tree(x, at(x) + 6, rand.range(60, 120), hsl(green + rand.range(-15, 25), 40, rand.range(20, 30)), hsl(25, 30, 22), rand() < 0.5));
    }
    parts.push(trees.join(''));
  }
  if (last) {
    // Mowing stripes on the nearest hill, following its ridge (no random numbers used here).
    const ridgeLine = last;
    const stripes: string[] = [];
    for (let k = 1; k <= 6; k++) {
      const offset = k * k * 9 + 18;
      const points: string[] = [];
      for (let x = 0; x <= PHOTO_W; x += 40) points.push(`${x},${n(ridgeLine(x) + offset)}`);
      stripes.push(`<polyline points="${points.join(' ')}" fill="none" stroke="#ffffff" stroke-opacity="${n(0.03 + k * 0.008)}" stroke-width="${n(4 + k * 3)}"/>`);
    }
    parts.push(stripes.join(''));
  }
  if (last && rand() < 0.5) {
    // A country road running from the foreground over the nearest hill.
    const vx = rand.range(0.3, 0.7) * PHOTO_W;
    const vy = last(vx) + 10;
    const cx = rand.range(0.35, 0.65) * PHOTO_W;
    const bend = rand.range(-260, 260);
    const my = (PHOTO_H + vy) / 2;
    parts.push(`<path d="M${n(cx - 300)},${PHOTO_H} Q${n((cx + vx) / 2 + bend - 90)},${n(my)} ${n(vx - 8)},${n(vy)} L${n(vx + 8)},${n(vy)} Q${n((cx + vx) / 2 + bend + 90)},${n(my)} ${n(cx + 300)},${PHOTO_H} Z" fill="${hsl(30, 6, 46)}"/>`);
    parts.push(`<path d="M${n(cx)},${PHOTO_H} Q${n((cx + vx) / 2 + bend)},${n(my)} ${n(vx)},${n(vy)}" fill="none" stroke="#f4f1e6" stroke-width="7" stroke-dasharray="46 40" opacity="0.85"/>`);
  }
  parts.push(v.layer);
  return svgPhoto(defs, parts);
};

const building = (spec: DemoImageSpec, rand: Rand): string => {
  const hue = spec.hue;
  const modern = rand() < 0.45;
  const groundY = PHOTO_H * 0.84;
  const left = PHOTO_W * rand.range(0.1, 0.2);
  const right = PHOTO_W - PHOTO_W * rand.range(0.1, 0.2);
  const top = PHOTO_H * rand.range(0.2, 0.3);
  const width = right - left;
  const v = vignette(0.25);
  const defs = [
    linear('sky', [[0, hsl(205 + (hue % 30), 55, 58)], [1, hsl(200, 60, 88)]]),
    linear('wall', modern ? [[0, hsl(hue, 8, 88)], [1, hsl(hue, 10, 76)]] : [[0, hsl(hue, 35, 84)], [1, hsl(hue, 30, 70)]], 1, 0.3),
    linear('glass', [[0, hsl(205, 45, 42)], [0.6, hsl(205, 35, 28)], [1, hsl(200, 40, 55)]], 0.4, 1),
    linear('ground', [[0, hsl(30, 8, 62)], [1, hsl(30, 8, 45)]]),
    linear('lawn', [[0, hsl(100, 35, 45)], [1, hsl(105, 40, 32)]]),
    v.def,
  ];
  const parts: string[] = [`<rect width="${PHOTO_W}" height="${PHOTO_H}" fill="url(#sky)"/>`];
  parts.push(cloud(rand, rand.range(200, PHOTO_W - 200), rand.range(80, 180), rand.range(0.8, 1.3), 0.7));
  // A lower neighbour building behind.
  const backX = rand() < 0.5 ? left - width * 0.25 : right - width * 0.35;
  parts.push(`<rect x="${n(backX)}" y="${n(top + 90)}" width="${n(width * 0.6)}" height="${n(groundY - top - 90)}" fill="${hsl(hue + 20, 10, 62)}"/>`);
  if (modern) {
    parts.push(`<rect x="${n(left)}" y="${n(top)}" width="${n(width)}" height="${n(groundY - top)}" fill="url(#wall)"/>`);
    parts.push(`<rect x="${n(left - 12)}" y="${n(top - 18)}" width="${n(width + 24)}" height="22" fill="${hsl(hue, 8, 40)}"/>`);
    const bands = rand.int(3, 5);
    const bandH = (groundY - top - 150) / bands;
    for (let b = 0; b < bands; b++) {
      const y = top + 30 + b * bandH;
      parts.push(`<rect x="${n(left + 30)}" y="${n(y)}" width="${n(width - 60)}" height="${n(bandH * 0.62)}" fill="url(#glass)"/>`);
      const mullions = rand.int(8, 14);
      for (let m = 1; m < mullions; m++) {
        const x = left + 30 + ((width - 60) * m) / mullions;
        parts.push(`<rect x="${n(x - 2)}" y="${n(y)}" width="4" height="${n(bandH * 0.62)}" fill="${hsl(hue, 6, 82)}"/>`);
      }
      for (let lit = 0; lit < 3; lit++) {
        if (rand() < 0.5) continue;
        const m = rand.int(0, mullions - 1);
        const x = left + 30 + ((width - 60) * m) / mullions;
        parts.push(`<rect x="${n(x + 2)}" y="${n(y)}" width="${n((width - 60) / mullions - 4)}" height="${n(bandH * 0.62)}" fill="#ffe9b0" opacity="0.35"/>`);
      }
      parts.push(`<rect x="${n(left)}" y="${n(y + bandH * 0.62)}" width="${n(width)}" height="6" fill="${hsl(hue, 8, 65)}"/>`);
    }
  } else {
    // Classic plaster façade with a gable roof.
    const roofTop = top - rand.range(90, 150);
    parts.push(`<path d="M${n(left - 25)},${n(top + 5)} L${n(left + width / 2)},${n(roofTop)} L${n(right + 25)},${n(top + 5)} Z" fill="${hsl(8 + (hue % 20), 45, 36)}"/>`);
    parts.push(`<rect x="${n(left)}" y="${n(top)}" width="${n(width)}" height="${n(groundY - top)}" fill="url(#wall)"/>`);
    parts.push(`<rect x="${n(left - 8)}" y="${n(top)}" width="${n(width + 16)}" height="14" fill="${hsl(hue, 20, 92)}"/>`);
    const cols = rand.int(6, 9);
    const rows = rand.int(3, 4);
    const cellW = width / cols;
    const cellH = (groundY - top - 150) / rows;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const cx = left + cellW * (c + 0.5);
        if (r === rows - 1 && Math.abs(cx - (left + width / 2)) < cellW * 0.9) continue; // room for the door
        const w = cellW * 0.46;
        const h = cellH * 0.6;
        const x = cx - w / 2;
        const y = top + 40 + r * cellH;
        const lit = rand() < 0.15;
        parts.push(`<rect x="${n(x - 6)}" y="${n(y - 6)}" width="${n(w + 12)}" height="${n(h + 12)}" fill="${hsl(hue, 15, 95)}"/>`);
        parts.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${lit ? '#f3d996' : 'url(#glass)'}"/>`);
        parts.push(`<rect x="${n(cx - 2)}" y="${n(y)}" width="4" height="${n(h)}" fill="${hsl(hue, 15, 95)}"/><rect x="${n(x)}" y="${n(y + h * 0.35)}" width="${n(w)}" height="4" fill="${hsl(hue, 15, 95)}"/>`);
        parts.push(`<rect x="${n(x - 10)}" y="${n(y + h + 6)}" width="${n(w + 20)}" height="8" fill="${hsl(hue, 15, 60)}"/>`);
      }
    }
  }
  // Door, canopy and sign.
  const doorW = 150;
  const doorH = 170;
  const doorX = left + width / 2 - doorW / 2;
  parts.push(`<rect x="${n(doorX)}" y="${n(groundY - doorH)}" width="${doorW}" height="${doorH}" fill="url(#glass)"/>`);
  parts.push(`<rect x="${n(doorX + doorW / 2 - 2)}" y="${n(groundY - doorH)}" width="4" height="${doorH}" fill="${hsl(hue, 10, 85)}"/>`);
  parts.push(`<rect x="${n(doorX - 40)}" y="${n(groundY - doorH - 22)}" width="${doorW + 80}" height="16" fill="${hsl(hue, 10, 30)}"/>`);
  if (spec.label) {
    const signW = Math.min(width * 0.8, 60 + spec.label.length * 24);
    parts.push(`<rect x="${n(left + width / 2 - signW / 2)}" y="${n(groundY - doorH - 82)}" width="${n(signW)}" height="50" rx="4" fill="${hsl(hue, 45, 32)}"/>`);
    parts.push(`<text x="${n(left + width / 2)}" y="${n(groundY - doorH - 47)}" font-family="DejaVu Sans" font-size="30" font-weight="bold" fill="#ffffff" text-anchor="middle">${escapeXml(spec.label)}</text>`);
  }
  // Ground, lawn, trees.
  parts.push(`<rect y="${n(groundY)}" width="${PHOTO_W}" height="${n(PHOTO_H - groundY)}" fill="url(#ground)"/>`);
  parts.push(`<rect y="${n(groundY + 20)}" width="${PHOTO_W}" height="${n(PHOTO_H - groundY)}" fill="url(#lawn)"/>`);
  parts.push(`<path d="M${n(doorX)},${n(groundY)} L${n(doorX + doorW)},${n(groundY)} L${n(doorX + doorW + 120)},${PHOTO_H} L${n(doorX - 120)},${PHOTO_H} Z" fill="${hsl(30, 10, 70)}"/>`);
  for (const x of [left * 0.5, right + (PHOTO_W - right) * 0.5, rand.range(left + 40, doorX - 120), rand.range(doorX + doorW + 120, right - 40)]) {
    parts.push(tree(x, groundY + 40 + rand.range(0, 40), rand.range(170, 260), hsl(110 + rand.range(-20, 20), 38, rand.range(26, 36)), hsl(25, 30, 25), false));
  }
  parts.push(v.layer);
  return svgPhoto(defs, parts);
};

const SKIN = ['#f1c9a5', '#e0ac84', '#c68863', '#a86d4a', '#7d4b31', '#f5d6bc'];
const HAIR = ['#2b1d14', '#4a3022', '#6b4a2e', '#a87a4a', '#d8c08a', '#8f8f8f', '#1a1a1a'];

const person = (rand: Rand, x: number, baseY: number, scale: number, shirtHue: number): string => {
  const headR = 46 * scale;
  const shoulderW = 150 * scale;
  const bodyH = 330 * scale;
  const neckY = baseY - bodyH;
  const headY = neckY - headR * 1.05;
  const shirt = hsl(shirtHue, rand.range(30, 65), rand.range(30, 60));
  const shirtDark = hsl(shirtHue, rand.range(30, 65), rand.range(20, 30));
  const skin = rand.pick(SKIN);
  const hair = rand.pick(HAIR);
  const body = `<path d="M${n(x - shoulderW / 2)},${n(baseY)} L${n(x - shoulderW / 2)},${n(neckY + 60 * scale)} Q${n(x - shoulderW / 2)},${n(neckY)} ${n(x - shoulderW / 4)},${n(neckY)} L${n(x + shoulderW / 4)},${n(neckY)} Q${n(x + shoulderW / 2)},${n(neckY)} ${n(x + shoulderW / 2)},${n(neckY + 60 * scale)} L${n(x + shoulderW / 2)},${n(baseY)} Z" fill="${shirt}"/>`;
  const jacket = rand() < 0.45 ? `<path d="M${n(x - shoulderW / 2)},${n(baseY)} L${n(x - shoulderW / 2)},${n(neckY + 60 * scale)} Q${n(x - shoulderW / 2)},${n(neckY)} ${n(x - shoulderW / 4)},${n(neckY)} L${n(x - 10 * scale)},${n(neckY + 120 * scale)} L${n(x - 10 * scale)},${n(baseY)} Z M${n(x + shoulderW / 2)},${n(baseY)} L${n(x + shoulderW / 2)},${n(neckY + 60 * scale)} Q${n(x + shoulderW / 2)},${n(neckY)} ${n(x + shoulderW / 4)},${n(neckY)} L${n(x + 10 * scale)},${n(neckY + 120 * scale)} L${n(x + 10 * scale)},${n(baseY)} Z" fill="${shirtDark}"/>` : '';
  const neck = `<rect x="${n(x - 14 * scale)}" y="${n(headY + headR * 0.6)}" width="${n(28 * scale)}" height="${n(neckY - headY - headR * 0.6 + 8 * scale)}" fill="${skin}"/>`;
  const head = `<ellipse cx="${n(x)}" cy="${n(headY)}" rx="${n(headR * 0.9)}" ry="${n(headR)}" fill="${skin}"/>`;
  const long = rand() < 0.4;
  const hairShape = long
    ? `<path d="M${n(x - headR * 0.98)},${n(headY + headR * 1.3)} L${n(x - headR * 0.98)},${n(headY)} A${n(headR * 0.98)},${n(headR * 1.05)} 0 0 1 ${n(x + headR * 0.98)},${n(headY)} L${n(x + headR * 0.98)},${n(headY + headR * 1.3)} L${n(x + headR * 0.7)},${n(headY + headR * 1.3)} L${n(x + headR * 0.75)},${n(headY - headR * 0.2)} Q${n(x)},${n(headY - headR * 0.55)} ${n(x - headR * 0.75)},${n(headY - headR * 0.2)} L${n(x - headR * 0.7)},${n(headY + headR * 1.3)} Z" fill="${hair}"/>`
    : `<path d="M${n(x - headR * 0.92)},${n(headY - headR * 0.05)} A${n(headR * 0.92)},${n(headR * 1.02)} 0 0 1 ${n(x + headR * 0.92)},${n(headY - headR * 0.05)} Q${n(x)},${n(headY - headR * 0.6)} ${n(x - headR * 0.92)},${n(headY - headR * 0.05)} Z" fill="${hair}"/>`;
  return `<g>${body}${jacket}${neck}${head}${hairShape}</g>`;
};

const people = (spec: DemoImageSpec, rand: Rand): string => {
  const hue = spec.hue;
  const floorY = PHOTO_H * 0.72;
  const v = vignette(0.3);
  const defs = [
    linear('wall', [[0, hsl(hue, 25, 88)], [1, hsl(hue, 22, 74)]]),
    linear('floor', [[0, hsl(hue + 20, 15, 58)], [1, hsl(hue + 20, 18, 42)]]),
    linear('window', [[0, '#ffffff'], [1, hsl(200, 50, 85)]], 0.3, 1),
    linear('table', [[0, hsl(30, 35, 55)], [1, hsl(30, 35, 38)]]),
    radial('bokeh', [[0, '#ffffff', 0.55], [1, '#ffffff', 0]]),
    v.def,
  ];
  const parts: string[] = [`<rect width="${PHOTO_W}" height="${PHOTO_H}" fill="url(#wall)"/>`];
  // Bright windows in the back wall, blurred by depth of field (soft bokeh over them).
  const windows = rand.int(2, 3);
  for (let w = 0; w < windows; w++) {
    const x = (PHOTO_W / windows) * w + rand.range(40, 120);
    parts.push(`<rect x="${n(x)}" y="${n(PHOTO_H * 0.1)}" width="${n(PHOTO_W / windows - 220)}" height="${n(PHOTO_H * 0.45)}" rx="6" fill="url(#window)" opacity="0.85"/>`);
  }
  parts.push(`<rect y="${n(floorY)}" width="${PHOTO_W}" height="${n(PHOTO_H - floorY)}" fill="url(#floor)"/>`);
  for (let b = 0; b < 14; b++) {
    parts.push(`<circle cx="${n(rand.range(0, PHOTO_W))}" cy="${n(rand.range(40, PHOTO_H * 0.6))}" r="${n(rand.range(20, 70))}" fill="url(#bokeh)"/>`);
  }
  // A group photo: a staggered back and front row, the front row closer and larger.
  const count = rand.int(3, 6);
  const span = PHOTO_W * (0.42 + count * 0.07);
  const start = (PHOTO_W - span) / 2;
  const slots = Array.from({ length: count }, (_, i) => start + (span * (i + 0.5)) / count + rand.range(-25, 25));
  for (const row of [0, 1]) {
    slots.forEach((x, i) => {
      if (i % 2 !== row) return;
      const baseY = row === 0 ? PHOTO_H * 1.02 : PHOTO_H * 1.15;
      const scale = (row === 0 ? 1.5 : 1.68) * rand.range(0.94, 1.04);
      parts.push(person(rand, x, baseY, scale, hue + rand.range(-150, 150)));
    });
  }
  if (rand() < 0.4) {
    // An information table in front, with flyers on it.
    const tx = start - 40;
    const tw = span + 80;
    const ty = PHOTO_H * 0.87;
    parts.push(`<rect x="${n(tx)}" y="${n(ty)}" width="${n(tw)}" height="${n(PHOTO_H - ty)}" fill="url(#table)"/>`);
    parts.push(`<rect x="${n(tx)}" y="${n(ty)}" width="${n(tw)}" height="14" fill="${hsl(30, 30, 65)}"/>`);
    const flyers = Math.round(tw / 150);
    for (let f = 0; f < flyers; f++) {
      const x = tx + 30 + (f * (tw - 60)) / flyers;
      parts.push(`<rect x="${n(x)}" y="${n(ty - 22)}" width="70" height="40" fill="${hsl(hue + f * 40, 55, 70)}" transform="rotate(${n(rand.range(-8, 8))} ${n(x + 35)} ${n(ty - 2)})"/>`);
    }
  }
  parts.push(v.layer);
  return svgPhoto(defs, parts);
};

const chart = (spec: DemoImageSpec, rand: Rand): string => {
  const hue = spec.hue;
  const defs = [
    linear('paper', [[0, '#ffffff'], [1, hsl(hue, 20, 94)]], 0.2, 1),
    linear('bar', [[0, hsl(hue, 60, 55)], [1, hsl(hue, 60, 38)]]),
    linear('barHi', [[0, hsl(hue + 30, 75, 60)], [1, hsl(hue + 30, 70, 45)]]),
  ];
  const parts: string[] = [`<rect width="${PHOTO_W}" height="${PHOTO_H}" fill="url(#paper)"/>`];
  parts.push(`<rect x="0" y="0" width="${PHOTO_W}" height="14" fill="${hsl(hue, 55, 42)}"/>`);
  const title = spec.label ?? '';
  if (title) {
    parts.push(`<text x="140" y="130" font-family="DejaVu Sans" font-size="52" font-weight="bold" fill="${hsl(hue, 30, 22)}">${escapeXml(title)}</text>`);
  }
  const x0 = 180;
  const x1 = PHOTO_W - 120;
  const y0 = PHOTO_H - 170;
  const y1 = 220;
  const grid: string[] = [];
  for (let g = 0; g <= 5; g++) {
    const y = y0 - ((y0 - y1) * g) / 5;
    grid.push(`<line x1="${x0}" y1="${n(y)}" x2="${x1}" y2="${n(y)}" stroke="${hsl(hue, 15, g === 0 ? 40 : 85)}" stroke-width="${g === 0 ? 4 : 2}"/>`);
    grid.push(`<text x="${x0 - 24}" y="${n(y + 12)}" font-family="DejaVu Sans" font-size="30" fill="${hsl(hue, 10, 45)}" text-anchor="end">${g * 20}</text>`);
  }
  parts.push(grid.join(''));
  const bars = rand.int(6, 10);
  const slot = (x1 - x0) / bars;
  const highlight = rand.int(0, bars - 1);
  let level = rand.range(0.3, 0.6);
  const tops: [number, number][] = [];
  for (let b = 0; b < bars; b++) {
    level = clamp(level + rand.range(-0.14, 0.2), 0.12, 0.88);
    const h = (y0 - y1) * level;
    const x = x0 + slot * b + slot * 0.18;
    const w = slot * 0.64;
    parts.push(`<rect x="${n(x)}" y="${n(y0 - h)}" width="${n(w)}" height="${n(h)}" rx="6" fill="url(#${b === highlight ? 'barHi' : 'bar'})"/>`);
    parts.push(`<text x="${n(x + w / 2)}" y="${n(y0 + 50)}" font-family="DejaVu Sans" font-size="30" fill="${hsl(hue, 10, 40)}" text-anchor="middle">${b + 1}</text>`);
    tops.push([x + w / 2, y0 - h]);
  }
  parts.push(`<polyline points="${tops.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" fill="none" stroke="${hsl(hue + 180, 55, 45)}" stroke-width="6" stroke-linejoin="round"/>`);
  parts.push(tops.map(([x, y]) => `<circle cx="${n(x)}" cy="${n(y)}" r="11" fill="#ffffff" stroke="${hsl(hue + 180, 55, 45)}" stroke-width="5"/>`).join(''));
  return svgPhoto(defs, parts);
};

const event = (spec: DemoImageSpec, rand: Rand): string => {
  const hue = spec.hue;
  const stageY = PHOTO_H * 0.62;
  const v = vignette(0.45);
  const defs = [
    linear('hall', [[0, hsl(hue, 45, 8)], [1, hsl(hue, 40, 18)]]),
    linear('backdrop', [[0, hsl(hue, 55, 30)], [1, hsl(hue, 50, 16)]]),
    linear('stage', [[0, hsl(hue + 20, 30, 28)], [1, hsl(hue + 20, 30, 12)]]),
    linear('beam', [[0, '#fff6d8', 0.55], [1, '#fff6d8', 0]]),
    radial('pool', [[0, '#fff3cc', 0.5], [1, '#fff3cc', 0]]),
    radial('glow', [[0, '#ffffff', 0.7], [1, '#ffffff', 0]]),
    v.def,
  ];
  const parts: string[] = [`<rect width="${PHOTO_W}" height="${PHOTO_H}" fill="url(#hall)"/>`];
  parts.push(`<rect x="${n(PHOTO_W * 0.12)}" y="${n(PHOTO_H * 0.12)}" width="${n(PHOTO_W * 0.76)}" height="${n(stageY - PHOTO_H * 0.12)}" fill="url(#backdrop)"/>`);
  if (spec.label) {
    parts.push(`<rect x="${n(PHOTO_W * 0.3)}" y="${n(PHOTO_H * 0.17)}" width="${n(PHOTO_W * 0.4)}" height="90" rx="8" fill="${hsl(hue + 30, 60, 50)}" opacity="0.9"/>`);
    parts.push(`<text x="${PHOTO_W / 2}" y="${n(PHOTO_H * 0.17 + 60)}" font-family="DejaVu Sans" font-size="44" font-weight="bold" fill="#ffffff" text-anchor="middle">${escapeXml(spec.label)}</text>`);
  }
  parts.push(`<path d="M${n(PHOTO_W * 0.05)},${n(stageY)} L${n(PHOTO_W * 0.95)},${n(stageY)} L${PHOTO_W},${n(PHOTO_H * 0.8)} L0,${n(PHOTO_H * 0.8)} Z" fill="url(#stage)"/>`);
  // Spotlights from the rig and the pools of light they cast.
  const beams = rand.int(3, 5);
  for (let b = 0; b < beams; b++) {
    const sx = PHOTO_W * (0.15 + (0.7 * (b + 0.5)) / beams) + rand.range(-60, 60);
    const tx = PHOTO_W * rand.range(0.25, 0.75);
    const spread = rand.range(110, 190);
    parts.push(`<path d="M${n(sx - 12)},0 L${n(sx + 12)},0 L${n(tx + spread)},${n(stageY + 40)} L${n(tx - spread)},${n(stageY + 40)} Z" fill="url(#beam)" opacity="${n(rand.range(0.45, 0.8))}"/>`);
    parts.push(`<ellipse cx="${n(tx)}" cy="${n(stageY + 45)}" rx="${n(spread * 1.3)}" ry="40" fill="url(#pool)"/>`);
    parts.push(`<circle cx="${n(sx)}" cy="8" r="40" fill="url(#glow)"/>`);
  }
  // Performers or a lectern on stage.
  if (rand() < 0.5) {
    const lx = PHOTO_W * rand.range(0.35, 0.65);
    parts.push(`<path d="M${n(lx - 60)},${n(stageY + 30)} L${n(lx - 45)},${n(stageY - 140)} L${n(lx + 45)},${n(stageY - 140)} L${n(lx + 60)},${n(stageY + 30)} Z" fill="${hsl(hue, 20, 12)}"/>`);
    parts.push(`<rect x="${n(lx - 70)}" y="${n(stageY - 160)}" width="140" height="24" rx="4" fill="${hsl(hue, 20, 18)}"/>`);
    parts.push(person(rand, lx + 10, stageY - 120, 0.55, hue + 200));
  } else {
    const count = rand.int(3, 5);
    for (let p = 0; p < count; p++) {
      const px = PHOTO_W * (0.28 + (0.44 * (p + 0.5)) / count);
      parts.push(person(rand, px, stageY + 30, 0.5, hue + rand.range(-60, 60)));
    }
  }
  // The audience in silhouette.
  const audience: string[] = [];
  for (let row = 0; row < 3; row++) {
    const y = PHOTO_H * (0.86 + row * 0.07);
    const r = 34 + row * 8;
    const shade = hsl(hue, 30, 6 - row * 2 < 2 ? 2 : 6 - row * 2);
    for (let x = -20 + rand.range(0, 60); x < PHOTO_W + 40; x += r * 2.6 + rand.range(0, 30)) {
      audience.push(`<circle cx="${n(x)}" cy="${n(y - r * 1.4)}" r="${n(r)}" fill="${shade}"/><rect x="${n(x - r * 1.5)}" y="${n(y - r * 0.55)}" width="${n(r * 3)}" height="${n(PHOTO_H - y + r)}" rx="${n(r)}" fill="${shade}"/>`);
    }
  }
  parts.push(audience.join(''));
  parts.push(v.layer);
  return svgPhoto(defs, parts);
};

const logo = (spec: DemoImageSpec, rand: Rand): string => {
  const hue = spec.hue;
  const label = (spec.label ?? '').trim();
  const defs = [
    linear('badge', [[0, hsl(hue, 62, 48)], [1, hsl(hue + 25, 65, 30)]], 1, 1),
    linear('shine', [[0, '#ffffff', 0.28], [1, '#ffffff', 0]]),
  ];
  const parts: string[] = [];
  const round = rand() < 0.5;
  parts.push(round ? `<circle cx="200" cy="200" r="188" fill="url(#badge)"/>` : `<rect x="12" y="12" width="376" height="376" rx="72" fill="url(#badge)"/>`);
  // A simple emblem: waves, an arch or a leaf above the initials.
  const emblem = rand.int(0, 2);
  const accent = hsl(hue + 40, 80, 78);
  if (emblem === 0) {
    parts.push(`<path d="M92,118 Q146,84 200,118 T308,118" fill="none" stroke="${accent}" stroke-width="14" stroke-linecap="round"/><path d="M112,150 Q156,122 200,150 T288,150" fill="none" stroke="#ffffff" stroke-opacity="0.7" stroke-width="10" stroke-linecap="round"/>`);
  } else if (emblem === 1) {
    parts.push(`<path d="M120,162 L120,118 A80,64 0 0 1 280,118 L280,162" fill="none" stroke="${accent}" stroke-width="14" stroke-linejoin="round"/><rect x="104" y="158" width="192" height="12" rx="6" fill="#ffffff" fill-opacity="0.75"/>`);
  } else {
    parts.push(`<path d="M200,70 C262,96 262,150 200,170 C138,150 138,96 200,70 Z" fill="${accent}"/><path d="M200,84 L200,166" stroke="${hsl(hue, 60, 35)}" stroke-width="6" stroke-linecap="round"/>`);
  }
  if (label) {
    const size = label.length <= 2 ? 128 : label.length === 3 ? 104 : Math.max(36, Math.floor(300 / (label.length * 0.62)));
    parts.push(`<text x="200" y="${n(252 + size * 0.36)}" font-family="DejaVu Sans" font-size="${size}" font-weight="bold" fill="#ffffff" text-anchor="middle" letter-spacing="2">${escapeXml(label)}</text>`);
  }
  parts.push(round ? `<ellipse cx="200" cy="120" rx="150" ry="95" fill="url(#shine)"/>` : `<rect x="12" y="12" width="376" height="180" rx="72" fill="url(#shine)"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${LOGO_SIZE} ${LOGO_SIZE}"><defs>${defs.join('')}</defs>${parts.join('')}</svg>`;
};

const svgPhoto = (defs: string[], parts: string[]): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${PHOTO_W} ${PHOTO_H}"><defs>${defs.join('')}</defs>${parts.join('')}</svg>`;

const DRAW: Record<DemoImageSpec['kind'], (spec: DemoImageSpec, rand: Rand) => string> = {
  landscape,
  building,
  people,
  chart,
  event,
  logo,
};

/** The SVG source of a demo picture, in its own coordinate space (1600x1067, logos 400x400). */
export const demoImageSvg = (spec: DemoImageSpec): string => {
  const draw = DRAW[spec.kind];
  if (!draw) throw new Error(`Unknown demo image kind: ${String(spec.kind)}`);
  return draw(spec, makeRand(spec.seed));
};

/**
 * Render a demo picture. Photos are JPEG, 1600x1067 unless told; logos PNG, 400x400 unless told.
 * With only a width, the height keeps the natural aspect ratio; with both, the picture is scaled
 * to cover the box and cropped from the centre.
 */
export async function renderDemoImage(spec: DemoImageSpec, width?: number, height?: number): Promise<Buffer> {
  const isLogo = spec.kind === 'logo';
  const naturalW = isLogo ? LOGO_SIZE : PHOTO_W;
  const naturalH = isLogo ? LOGO_SIZE : PHOTO_H;
  const w = Math.max(1, Math.round(width ?? (height !== undefined ? (height * naturalW) / naturalH : naturalW)));
  const h = Math.max(1, Math.round(height ?? (width !== undefined ? (width * naturalH) / naturalW : naturalH)));
  const svg = demoImageSvg(spec).replace(
    '<svg ',
    `<svg width="${w}" height="${h}" preserveAspectRatio="xMidYMid slice" `,
  );
  const image = (await loadSharp())(Buffer.from(svg));
  return isLogo
    ? image.png({ compressionLevel: 8 }).toBuffer()
    : image.flatten({ background: '#ffffff' }).jpeg({ quality: 84, progressive: true }).toBuffer();
}
