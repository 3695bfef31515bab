// erfc in float64 for the GELU kernels: W. J. Cody's rational Chebyshev approximations (Math.
// Comp. 23, 1969; SPECFUN CALERF), the algorithm of src/activations/erf.ts, with the
// polynomials written out. Relative error about 1e-16, far below float32's.

/** erf(x) for |x| <= 0.46875: x R(x^2). */
@inline function erfSmall(x: f64): f64 {
  const z = x * x;
  let p = 0.185777706184603153 * z;
  let q = z;
  p = (p + 3.1611237438705656) * z;
  q = (q + 23.6012909523441209) * z;
  p = (p + 113.864154151050156) * z;
  q = (q + 244.024637934444173) * z;
  p = (p + 377.485237685302021) * z;
  q = (q + 1282.61652607737228) * z;
  return (x * (p + 3209.37758913846947)) / (q + 2844.23683343917062);
}

/** erfc(y) for y > 0.46875, as e^(-y^2) R(y), e^(-y^2) split to keep its precision. */
function erfcLarge(y: f64): f64 {
  let r: f64;
  if (y <= 4) {
    let p = 2.15311535474403846e-8 * y;
    let q = y;
    p = (p + 0.564188496988670089) * y;
    q = (q + 15.7449261107098347) * y;
    p = (p + 8.88314979438837594) * y;
    q = (q + 117.693950891312499) * y;
    p = (p + 66.1191906371416295) * y;
    q = (q + 537.181101862009858) * y;
    p = (p + 298.635138197400131) * y;
    q = (q + 1621.38957456669019) * y;
    p = (p + 881.95222124176909) * y;
    q = (q + 3290.79923573345963) * y;
    p = (p + 1712.04761263407058) * y;
    q = (q + 4362.61909014324716) * y;
    p = (p + 2051.07837782607147) * y;
    q = (q + 3439.36767414372164) * y;
    r = (p + 1230.33935479799725) / (q + 1230.33935480374942);
  } else {
    if (y >= 26.543) return 0;
    const z = 1 / (y * y);
    let p = 0.0163153871373020978 * z;
    let q = z;
    p = (p + 0.305326634961232344) * z;
    q = (q + 2.56852019228982242) * z;
    p = (p + 0.360344899949804439) * z;
    q = (q + 1.87295284992346047) * z;
    p = (p + 0.125781726111229246) * z;
    q = (q + 0.527905102951428412) * z;
    p = (p + 0.0160837851487422766) * z;
    q = (q + 0.0605183413124413191) * z;
    r = (0.56418958354775628695 - (z * (p + 6.58749161529837803e-4)) / (q + 0.00233520497626869185)) / y;
  }
  const s = Math.trunc(y * 16) / 16;
  return Math.exp(-s * s) * Math.exp(-(y - s) * (y + s)) * r;
}

/** The complementary error function erfc(x) = 1 - erf(x). */
export function erfc(x: f64): f64 {
  const y = Math.abs(x);
  if (y <= 0.46875) return 1 - erfSmall(x);
  const r = erfcLarge(y);
  return x < 0 ? 2 - r : r;
}
