// The spectral radius rho(U) = max |eigenvalue| of a square, non-symmetric matrix.
//
// Power iteration is not enough here: a real U often has its largest eigenvalues as a complex
// pair (or nearly equal moduli), where it does not converge. So we compute every eigenvalue, the
// textbook way: Householder reduction to upper Hessenberg form, then the Francis double-shift QR
// iteration (EISPACK's hqr, as in Numerical Recipes section 11.6). Tested against numpy.linalg.eigvals.

/** Largest absolute eigenvalue of the n x n row-major matrix `a` (NaN if it has a non-finite entry). */
export function spectralRadius(a, n) {
  const { re, im } = eigenvalues(a, n);
  let rho = 0;
  for (let i = 0; i < n; i++) rho = Math.max(rho, Math.hypot(re[i], im[i]));
  return rho;
}

/** Every eigenvalue of the n x n row-major matrix `a`: {re, im}, Float64Arrays of length n (unordered). */
export function eigenvalues(a, n) {
  if (a.length !== n * n) throw new Error(`eigenvalues: expected ${n * n} entries, got ${a.length}`);
  if (!a.every(Number.isFinite)) return { re: new Float64Array(n).fill(NaN), im: new Float64Array(n).fill(NaN) };
  // 1-based rows h[1..n][1..n], as in the classic algorithm (row 0 / column 0 unused)
  const h = Array.from({ length: n + 1 }, () => new Float64Array(n + 1));
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i + 1][j + 1] = a[i * n + j];
  hessenberg(h, n);
  return hqr(h, n);
}

/** Householder similarity transforms that zero h below the first subdiagonal (in place, 1-based). */
function hessenberg(h, n) {
  const v = new Float64Array(n + 1);
  for (let k = 1; k <= n - 2; k++) {
    let alpha = 0;
    for (let i = k + 1; i <= n; i++) alpha += h[i][k] * h[i][k];
    alpha = Math.sqrt(alpha);
    if (alpha === 0) continue;
    if (h[k + 1][k] > 0) alpha = -alpha;  // v = x - alpha e1 with alpha of the opposite sign: no cancellation
    let vv = 0;
    for (let i = k + 1; i <= n; i++) { v[i] = h[i][k]; }
    v[k + 1] -= alpha;
    for (let i = k + 1; i <= n; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    // h <- (I - 2 v v^T / vv) h (I - 2 v v^T / vv)
    for (let j = 1; j <= n; j++) {  // from the left: rows k+1..n
      let s = 0;
      for (let i = k + 1; i <= n; i++) s += v[i] * h[i][j];
      s *= 2 / vv;
      for (let i = k + 1; i <= n; i++) h[i][j] -= s * v[i];
    }
    for (let i = 1; i <= n; i++) {  // from the right: columns k+1..n
      let s = 0;
      for (let j = k + 1; j <= n; j++) s += h[i][j] * v[j];
      s *= 2 / vv;
      for (let j = k + 1; j <= n; j++) h[i][j] -= s * v[j];
    }
    for (let i = k + 2; i <= n; i++) h[i][k] = 0;
  }
}

const sign = (a, b) => (b >= 0 ? Math.abs(a) : -Math.abs(a));

/** Eigenvalues of the upper Hessenberg matrix h (1-based, destroyed) by the Francis double-shift QR iteration. */
function hqr(a, n) {
  const wr = new Float64Array(n + 1), wi = new Float64Array(n + 1);
  let anorm = 0;
  for (let i = 1; i <= n; i++) for (let j = Math.max(i - 1, 1); j <= n; j++) anorm += Math.abs(a[i][j]);
  let nn = n, t = 0;
  let p = 0, q = 0, r = 0, s = 0, w = 0, x = 0, y = 0, z = 0;
  while (nn >= 1) {
    let its = 0, l;
    do {
      for (l = nn; l >= 2; l--) {  // look for a single small subdiagonal element
        s = Math.abs(a[l - 1][l - 1]) + Math.abs(a[l][l]);
        if (s === 0) s = anorm;
        if (Math.abs(a[l][l - 1]) + s === s) { a[l][l - 1] = 0; break; }
      }
      x = a[nn][nn];
      if (l === nn) {  // one root found
        wr[nn] = x + t; wi[nn] = 0; nn -= 1;
      } else {
        y = a[nn - 1][nn - 1];
        w = a[nn][nn - 1] * a[nn - 1][nn];
        if (l === nn - 1) {  // two roots found
          p = 0.5 * (y - x);
          q = p * p + w;
          z = Math.sqrt(Math.abs(q));
          x += t;
          if (q >= 0) {  // a real pair
            z = p + sign(z, p);
            wr[nn - 1] = wr[nn] = x + z;
            if (z !== 0) wr[nn] = x - w / z;
            wi[nn - 1] = wi[nn] = 0;
          } else {  // a complex pair
            wr[nn - 1] = wr[nn] = x + p;
            wi[nn - 1] = -z; wi[nn] = z;
          }
          nn -= 2;
        } else {  // no root yet: one more double-shift QR sweep
          if (its === 60) throw new Error("eigenvalues: the QR iteration did not converge");
          if (its === 10 || its === 20) {  // exceptional shift
            t += x;
            for (let i = 1; i <= nn; i++) a[i][i] -= x;
            s = Math.abs(a[nn][nn - 1]) + Math.abs(a[nn - 1][nn - 2]);
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          its += 1;
          let m;
          for (m = nn - 2; m >= l; m--) {  // look for two consecutive small subdiagonal elements
            z = a[m][m];
            r = x - z;
            s = y - z;
            p = (r * s - w) / a[m + 1][m] + a[m][m + 1];
            q = a[m + 1][m + 1] - z - r - s;
            r = a[m + 2][m + 1];
            s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s; q /= s; r /= s;
            if (m === l) break;
            const u = Math.abs(a[m][m - 1]) * (Math.abs(q) + Math.abs(r));
            const v = Math.abs(p) * (Math.abs(a[m - 1][m - 1]) + Math.abs(z) + Math.abs(a[m + 1][m + 1]));
            if (u + v === v) break;
          }
          for (let i = m + 2; i <= nn; i++) {
            a[i][i - 2] = 0;
            if (i !== m + 2) a[i][i - 3] = 0;
          }
          for (let k = m; k <= nn - 1; k++) {  // the double-shift QR step on rows l..nn, columns m..nn
            if (k !== m) {
              p = a[k][k - 1];
              q = a[k + 1][k - 1];
              r = 0;
              if (k !== nn - 1) r = a[k + 2][k - 1];
              x = Math.abs(p) + Math.abs(q) + Math.abs(r);
              if (x !== 0) { p /= x; q /= x; r /= x; }
            }
            s = sign(Math.sqrt(p * p + q * q + r * r), p);
            if (s !== 0) {
              if (k === m) {
                if (l !== m) a[k][k - 1] = -a[k][k - 1];
              } else {
                a[k][k - 1] = -s * x;
              }
              p += s;
              x = p / s; y = q / s; z = r / s;
              q /= p; r /= p;
              for (let j = k; j <= nn; j++) {  // row modification
                p = a[k][j] + q * a[k + 1][j];
                if (k !== nn - 1) { p += r * a[k + 2][j]; a[k + 2][j] -= p * z; }
                a[k + 1][j] -= p * y;
                a[k][j] -= p * x;
              }
              const mmin = nn < k + 3 ? nn : k + 3;
              for (let i = l; i <= mmin; i++) {  // column modification
                p = x * a[i][k] + y * a[i][k + 1];
                if (k !== nn - 1) { p += z * a[i][k + 2]; a[i][k + 2] -= p * r; }
                a[i][k + 1] -= p * q;
                a[i][k] -= p;
              }
            }
          }
        }
      }
    } while (l < nn - 1);
  }
  return { re: wr.subarray(1), im: wi.subarray(1) };
}
