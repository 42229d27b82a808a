// The widget's per-frame numbers in the browser: each family's log-density, the same formulas as
// mlelab.families (scipy.stats), proven equal to them by tests/test_learner_package.py.

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const LOG_FACTORIALS = [0];
for (let k = 1; k <= 1000; k++) LOG_FACTORIALS.push(LOG_FACTORIALS[k - 1] + Math.log(k));

/** log Γ(z) for z > 0 (Lanczos, g = 7): about 15 correct digits. */
export function lgamma(z) {
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - lgamma(1 - z);
  const y = z - 1;
  const t = y + 7.5;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (y + i);
  return HALF_LOG_2PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** log k! for a count k: summed logs up to 1000, log Γ(k + 1) beyond. */
export function logFactorial(k) {
  return k <= 1000 ? LOG_FACTORIALS[k] : lgamma(k + 1);
}

/** One family's log-density (or log-mass) at x, as a function of x, for fixed parameters. */
export function logDensity(family, params) {
  const [a, b] = params;
  switch (family) {
    case "Normal": {
      const offset = -Math.log(b) - HALF_LOG_2PI;
      return (x) => offset - 0.5 * ((x - a) / b) ** 2;
    }
    case "exponential": {
      const logRate = Math.log(a);
      return (x) => (x < 0 ? -Infinity : logRate - a * x);
    }
    case "Poisson": {
      const logRate = Math.log(a);
      return (x) => (x < 0 || x !== Math.round(x) ? -Infinity : (x === 0 ? 0 : x * logRate) - a - logFactorial(x));
    }
    case "Bernoulli":
      return (x) => (x === 1 ? Math.log(a) : x === 0 ? Math.log1p(-a) : -Infinity);
    case "uniform U(0, θ)": {
      const logWidth = Math.log(a);
      return (x) => (x < 0 || x > a ? -Infinity : -logWidth);
    }
    case "Laplace": {
      const offset = -Math.log(2 * b);
      return (x) => offset - Math.abs(x - a) / b;
    }
    case "gamma": {
      const offset = a * Math.log(b) - lgamma(a);
      return (x) => (x <= 0 ? -Infinity : offset + (a - 1) * Math.log(x) - b * x);
    }
    default:
      throw new Error(`unknown family ${family}`);
  }
}

/** Each observation's log-density and their sum, the log-likelihood ℓ. */
export function logLikelihood(family, params, x) {
  const density = logDensity(family, params);
  const each = new Float64Array(x.length);
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    each[i] = density(x[i]);
    total += each[i];
  }
  return { each, total };
}
