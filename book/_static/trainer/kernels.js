// The one matrix product the SRN spends its time in, written for speed (float64, no allocation).
//
// C += A B^T with A [M, K] and B [N, K] row-major: every output is a dot product of two contiguous
// rows. Register blocking (2 rows of A x 4 rows of B: 8 sums per pass over k) makes it several
// times faster than the plain triple loop in V8; the sums are the same up to float rounding.

/** C[cOff + m*N + n] += sum_k A[aOff + m*K + k] * B[bOff + n*K + k], for m < M, n < N. */
export function addMatmulNT(A, aOff, B, bOff, C, cOff, M, N, K) {
  let m = 0;
  for (; m + 1 < M; m += 2) {
    const a0 = aOff + m * K, a1 = a0 + K, c0 = cOff + m * N, c1 = c0 + N;
    let n = 0;
    for (; n + 3 < N; n += 4) {
      const b0 = bOff + n * K, b1 = b0 + K, b2 = b1 + K, b3 = b2 + K;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = A[a0 + k], x1 = A[a1 + k];
        const y0 = B[b0 + k], y1 = B[b1 + k], y2 = B[b2 + k], y3 = B[b3 + k];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      C[c0 + n] += s00; C[c0 + n + 1] += s01; C[c0 + n + 2] += s02; C[c0 + n + 3] += s03;
      C[c1 + n] += s10; C[c1 + n + 1] += s11; C[c1 + n + 2] += s12; C[c1 + n + 3] += s13;
    }
    for (; n < N; n++) {
      const b0 = bOff + n * K;
      let s0 = 0, s1 = 0;
      for (let k = 0; k < K; k++) { s0 += A[a0 + k] * B[b0 + k]; s1 += A[a1 + k] * B[b0 + k]; }
      C[c0 + n] += s0; C[c1 + n] += s1;
    }
  }
  if (m < M) {
    const a0 = aOff + m * K, c0 = cOff + m * N;
    for (let n = 0; n < N; n++) {
      const b0 = bOff + n * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += A[a0 + k] * B[b0 + k];
      C[c0 + n] += s;
    }
  }
}

/** out[cOff + j*rows + i] = A[aOff + i*cols + j]: the transpose of a [rows, cols] block. */
export function transpose(A, aOff, rows, cols, out, cOff = 0) {
  for (let i = 0; i < rows; i++) {
    const a = aOff + i * cols;
    for (let j = 0; j < cols; j++) out[cOff + j * rows + i] = A[a + j];
  }
}
