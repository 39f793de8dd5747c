// mulberry32: a small, fast, deterministic generator of numbers in [0, 1) from a 32-bit state.
// Good enough for generated pictures and benchmark data; never for secrets.
export const mulberry32 = (initialState: number): (() => number) => {
  let state = initialState >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
