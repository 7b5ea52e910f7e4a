/** Seeded generators for tests and benchmarks (mulberry32 + Box-Muller). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(rand: () => number): () => number {
  return () => {
    const u = Math.max(rand(), 1e-300);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

/** A validity bitmap for n rows at bit offset `offset`, each row valid with probability p. */
export function randomValidity(rand: () => number, n: number, offset: number, p = 0.8): { bitmap: Uint8Array; offset: number; valid: boolean[] } {
  const bitmap = new Uint8Array(Math.ceil((offset + n) / 8) + 1);
  const valid: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const v = rand() < p;
    valid.push(v);
    if (v) bitmap[(offset + i) >> 3] |= 1 << ((offset + i) & 7);
  }
  // Set the bits outside [offset, offset + n) so a kernel that reads them would be caught.
  for (let b = 0; b < offset; b++) bitmap[b >> 3] |= 1 << (b & 7);
  return { bitmap, offset, valid };
}

export function relClose(a: number, b: number, rel: number, abs = 0): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= Math.max(abs, rel * Math.max(Math.abs(a), Math.abs(b)));
}
