/*
 * The C contestant of the @heapwise/buffer benchmarks: the same kernels, compiled at bench time
 * with `gcc -O3 -march=native` (the memory-bandwidth limit the issue measures against).
 *
 *   kernels <sum|dot|axpy|add-new|add-out|strided-sum> <n> <reps>
 *
 * Sums and dots are NumPy's pairwise algorithm (8 accumulators over blocks of 128, which gcc
 * vectorizes), the same algorithm the JavaScript kernels run. Prints {"ms": median, "check": x}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double pairwise(const double *a, long n, long s) {
  if (n < 8) {
    double r = 0.0;
    for (long i = 0; i < n; i++) r += a[i * s];
    return r;
  }
  if (n <= 128) {
    double r[8];
    for (int j = 0; j < 8; j++) r[j] = a[j * s];
    long i;
    for (i = 8; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; j++) r[j] += a[(i + j) * s];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[i * s];
    return res;
  }
  long n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise(a, n2, s) + pairwise(a + n2 * s, n - n2, s);
}

static double pairwise_unit(const double *a, long n) {
  if (n < 8) {
    double r = 0.0;
    for (long i = 0; i < n; i++) r += a[i];
    return r;
  }
  if (n <= 128) {
    double r[8];
    for (int j = 0; j < 8; j++) r[j] = a[j];
    long i;
    for (i = 8; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; j++) r[j] += a[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[i];
    return res;
  }
  long n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_unit(a, n2) + pairwise_unit(a + n2, n - n2);
}

static double pairwise_dot(const double *a, const double *b, long n) {
  if (n <= 128) {
    double r[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long i;
    for (i = 0; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; j++) r[j] += a[i + j] * b[i + j];
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[i] * b[i];
    return res;
  }
  long n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_dot(a, b, n2) + pairwise_dot(a + n2, b + n2, n - n2);
}

static int cmp(const void *p, const void *q) {
  double a = *(const double *)p, b = *(const double *)q;
  return a < b ? -1 : a > b;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s <kernel> <n> <reps>\n", argv[0]);
    return 2;
  }
  const char *k = argv[1];
  long n = atol(argv[2]);
  int reps = atoi(argv[3]);
  double *x = aligned_alloc(64, n * sizeof(double));
  double *y = aligned_alloc(64, n * sizeof(double));
  double *z = aligned_alloc(64, n * sizeof(double));
  unsigned long long s = 42;
  for (long i = 0; i < n; i++) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    x[i] = (double)(s >> 11) / 9007199254740992.0;
    y[i] = 1.0 - x[i] * x[i];
    z[i] = 0.0;
  }
  double times[64];
  double check = 0;
  if (reps > 64) reps = 64;
  for (int r = -1; r < reps; r++) { /* one warm-up */
    double t0 = now_ms();
    if (!strcmp(k, "sum")) check = pairwise_unit(x, n);
    else if (!strcmp(k, "dot")) check = pairwise_dot(x, y, n);
    else if (!strcmp(k, "axpy")) {
      for (long i = 0; i < n; i++) y[i] += 0.5 * x[i];
      check = y[n / 2];
    } else if (!strcmp(k, "add-new")) {
      double *o = malloc(n * sizeof(double));
      for (long i = 0; i < n; i++) o[i] = x[i] + y[i];
      check = o[n / 3];
      free(o);
    } else if (!strcmp(k, "add-out")) {
      for (long i = 0; i < n; i++) z[i] = x[i] + y[i];
      check = z[n / 3];
    } else if (!strcmp(k, "strided-sum")) check = pairwise(x, n / 2, 2);
    else {
      fprintf(stderr, "unknown kernel %s\n", k);
      return 2;
    }
    double t1 = now_ms();
    if (r >= 0) times[r] = t1 - t0;
  }
  qsort(times, reps, sizeof(double), cmp);
  printf("{\"ms\": %.4f, \"check\": %.17g}\n", times[reps / 2], check);
  free(x);
  free(y);
  free(z);
  return 0;
}
