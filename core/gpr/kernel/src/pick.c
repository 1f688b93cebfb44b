/*
 * PipeMap native kernel: the two hot loops of automatic hyperbola picking.
 *
 *   pm_demodulate        complex demodulation of every trace (band-pass +
 *                        envelope + phase in one pass, decimated output)
 *   pm_hyperbola_stack   the (trace, time, velocity) diffraction stack of a
 *                        normalised envelope, maximum over the velocities
 *
 * Arrays are C-contiguous and laid out samples x traces (one row per time
 * sample, one column per trace), like Radargram.data: every inner loop runs
 * along a row, over neighbouring traces, so it vectorises.  Each function
 * has a pure-numpy twin in core/gpr/kernel/reference.py that computes the
 * same thing (float64 instead of float32 accumulators); the ctypes
 * declarations are in core/gpr/kernel/lib.py.
 *
 * Return codes: 0 success, -1 invalid argument, -2 out of memory.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#define PM_KERNEL_ABI 2

/* The two loops are compiled for AVX2+FMA as well as the baseline ISA; the
 * loader picks the variant the CPU supports at run time (GCC function
 * multi-versioning), so the library stays portable. */
#if defined(__GNUC__) && !defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
#define PM_HOT __attribute__((target_clones("avx2", "default")))
#else
#define PM_HOT
#endif

/* ABI version: the Python loader refuses a library whose version differs. */
int32_t pm_kernel_abi(void) { return PM_KERNEL_ABI; }

/* Number of OpenMP threads a parallel region would use (1 without OpenMP). */
int32_t pm_kernel_threads(void)
{
#ifdef _OPENMP
    return (int32_t)omp_get_max_threads();
#else
    return 1;
#endif
}

/* --------------------------------------------------------------------------
 * pm_demodulate
 *
 * out[m][x] = sum_j window[j] * data[c_m + j - h][x] * carrier[c_m + j - h]
 * with c_m = first + m * step, h = (n_window - 1) / 2, j over 0..n_window-1,
 * terms whose sample lies outside 0..n_samples-1 left out, and the complex
 * carrier = (carrier_re, carrier_im) per input sample.  Real and imaginary
 * parts go to out_re / out_im (n_out x n_traces).
 * ------------------------------------------------------------------------ */
PM_HOT int32_t pm_demodulate(const float *data, int32_t n_samples, int32_t n_traces,
                      const double *carrier_re, const double *carrier_im,
                      const double *window, int32_t n_window,
                      int32_t first, int32_t step, int32_t n_out,
                      float *out_re, float *out_im)
{
    if (!data || !carrier_re || !carrier_im || !window || !out_re || !out_im)
        return -1;
    if (n_samples <= 0 || n_traces <= 0 || n_window <= 0 || (n_window % 2) != 1 || step <= 0 || n_out <= 0)
        return -1;
    const int32_t h = (n_window - 1) / 2;
    const int64_t nt = n_traces;
    const int32_t block = 512;
    const int32_t n_blocks = (n_traces + block - 1) / block;

#pragma omp parallel for schedule(dynamic, 1) collapse(2)
    for (int32_t b = 0; b < n_blocks; b++) {
        for (int32_t m = 0; m < n_out; m++) {
            const int32_t x0 = b * block;
            const int32_t x1 = (x0 + block < n_traces) ? x0 + block : n_traces;
            const int32_t nx = x1 - x0;
            float acc_re[512];
            float acc_im[512];
            for (int32_t i = 0; i < nx; i++) {
                acc_re[i] = 0.0f;
                acc_im[i] = 0.0f;
            }
            const int64_t c = (int64_t)first + (int64_t)m * step;
            for (int32_t j = 0; j < n_window; j++) {
                const int64_t k = c + j - h;
                if (k < 0 || k >= n_samples)
                    continue;
                const float wr = (float)(window[j] * carrier_re[k]);
                const float wi = (float)(window[j] * carrier_im[k]);
                const float *row = data + k * nt + x0;
                for (int32_t i = 0; i < nx; i++) {
                    acc_re[i] += wr * row[i];
                    acc_im[i] += wi * row[i];
                }
            }
            float *ore = out_re + (int64_t)m * nt + x0;
            float *oim = out_im + (int64_t)m * nt + x0;
            memcpy(ore, acc_re, (size_t)nx * sizeof(float));
            memcpy(oim, acc_im, (size_t)nx * sizeof(float));
        }
    }
    return 0;
}

/* --------------------------------------------------------------------------
 * pm_hyperbola_stack
 *
 * env: n_samples x n_traces normalised envelope; sample k is at time
 * t_first_ns + k * dt_ns after time zero, trace x at x * dx_m.
 *
 * For every output cell (k, x) -- a trial apex at time t0 = time of k --
 * the aperture and the weights are the same for every trial velocity, so
 * the velocities compete on equal terms: with the reference velocity
 * v_ref (aperture_velocity), z_ref = v_ref t0 / 2, the aperture is
 * U = min(aperture_max_m, v_ref/2 sqrt((t0 + reach_ns)^2 - t0^2)) (the
 * offset where the v_ref hyperbola has dropped reach_ns below its apex),
 * nu = floor(U / dx_m) traces a side taken every s = max(1, ceil(nu /
 * max_side)) traces: offsets u = j s dx_m for |j| <= floor(nu / s), each
 * with weight w = z_ref^2 / (u^2 + z_ref^2).  For velocity v the
 * hyperbola time is t(u) = 2 sqrt(u^2 + (v t0 / 2)^2) / v, at position
 * p = (t(u) - t_first_ns) / dt_ns; env is linearly interpolated there.
 * An offset counts when its trace x + u exists and p lies in
 * [0, n_samples - 1); the value is sum(w env) / sum(w) over the offsets
 * that count, or 0 when their weight is less than min_weight_fraction of
 * the whole aperture's (near the profile's ends and the record's bottom)
 * or when t0 < t_min_ns.  best[k][x] is the largest value over the
 * velocities and best_index[k][x] its index (-1 where every value is 0;
 * ties keep the first velocity).
 * ------------------------------------------------------------------------ */
typedef struct {
    int32_t count;
    int32_t start;
    double wfull;
} pm_cell;

PM_HOT int32_t pm_hyperbola_stack(const float *env, int32_t n_samples, int32_t n_traces,
                           double dt_ns, double t_first_ns, double dx_m,
                           const double *velocities, int32_t n_vel,
                           double aperture_velocity, double reach_ns, double aperture_max_m, double t_min_ns,
                           int32_t max_side, double min_weight_fraction,
                           float *best, int32_t *best_index)
{
    if (!env || !velocities || !best || !best_index)
        return -1;
    if (n_samples < 2 || n_traces <= 0 || n_vel <= 0 || max_side <= 0)
        return -1;
    if (!(dt_ns > 0.0) || !(dx_m > 0.0) || !(reach_ns > 0.0) || !(aperture_max_m >= 0.0) ||
        !(aperture_velocity > 0.0))
        return -1;
    for (int32_t iv = 0; iv < n_vel; iv++)
        if (!(velocities[iv] > 0.0))
            return -1;

    const int32_t per_cell = 2 * max_side + 1;
    const int64_t n_cells = (int64_t)n_vel * n_samples;
    pm_cell *cells = (pm_cell *)malloc((size_t)n_cells * sizeof(pm_cell));
    int32_t *e_off = (int32_t *)malloc((size_t)(n_cells * per_cell) * sizeof(int32_t));
    int32_t *e_idx = (int32_t *)malloc((size_t)(n_cells * per_cell) * sizeof(int32_t));
    float *e_w0 = (float *)malloc((size_t)(n_cells * per_cell) * sizeof(float));
    float *e_w1 = (float *)malloc((size_t)(n_cells * per_cell) * sizeof(float));
    double *e_w = (double *)malloc((size_t)(n_cells * per_cell) * sizeof(double));
    if (!cells || !e_off || !e_idx || !e_w0 || !e_w1 || !e_w) {
        free(cells); free(e_off); free(e_idx); free(e_w0); free(e_w1); free(e_w);
        return -2;
    }

    /* tables: the same for every trace */
    for (int32_t iv = 0; iv < n_vel; iv++) {
        const double v = velocities[iv];
        for (int32_t k = 0; k < n_samples; k++) {
            pm_cell *cell = cells + (int64_t)iv * n_samples + k;
            cell->count = 0;
            cell->start = (int32_t)(((int64_t)iv * n_samples + k) * per_cell);
            cell->wfull = 0.0;
            const double t0 = t_first_ns + k * dt_ns;
            if (t0 < t_min_ns || t0 <= 0.0)
                continue;
            const double z = 0.5 * v * t0;
            const double zr = 0.5 * aperture_velocity * t0;
            double aperture = 0.5 * aperture_velocity * sqrt((t0 + reach_ns) * (t0 + reach_ns) - t0 * t0);
            if (aperture > aperture_max_m)
                aperture = aperture_max_m;
            const int32_t nu = (int32_t)floor(aperture / dx_m);
            int32_t s = (nu + max_side - 1) / max_side;
            if (s < 1)
                s = 1;
            const int32_t jmax = nu / s;
            for (int32_t j = -jmax; j <= jmax; j++) {
                const double u = (double)j * s * dx_m;
                const double w = (zr * zr) / (u * u + zr * zr);
                cell->wfull += w;
                const double r = sqrt(u * u + z * z);
                const double p = (2.0 * r / v - t_first_ns) / dt_ns;
                if (!(p < (double)(n_samples - 1)) || p < 0.0)
                    continue;
                const int32_t i0 = (int32_t)floor(p);
                const double frac = p - i0;
                const int32_t e = cell->start + cell->count;
                e_off[e] = j * s;
                e_idx[e] = i0;
                e_w0[e] = (float)(w * (1.0 - frac));
                e_w1[e] = (float)(w * frac);
                e_w[e] = w;
                cell->count++;
            }
        }
    }

    const int32_t block = 256;
    const int32_t n_blocks = (n_traces + block - 1) / block;
    const int64_t nt = n_traces;

#pragma omp parallel for schedule(dynamic, 1) collapse(2)
    for (int32_t b = 0; b < n_blocks; b++) {
        for (int32_t k = 0; k < n_samples; k++) {
            const int32_t x0 = b * block;
            const int32_t x1 = (x0 + block < n_traces) ? x0 + block : n_traces;
            const int32_t nx = x1 - x0;
            float acc[256];
            double wsum[256];
            float top[256];
            int32_t arg[256];
            for (int32_t i = 0; i < nx; i++) {
                top[i] = 0.0f;
                arg[i] = -1;
            }
            for (int32_t iv = 0; iv < n_vel; iv++) {
                const pm_cell *cell = cells + (int64_t)iv * n_samples + k;
                if (cell->count == 0)
                    continue;
                for (int32_t i = 0; i < nx; i++) {
                    acc[i] = 0.0f;
                    wsum[i] = 0.0;
                }
                for (int32_t e = cell->start; e < cell->start + cell->count; e++) {
                    const int32_t off = e_off[e];
                    /* traces x in [x0, x1) with 0 <= x + off < n_traces */
                    int32_t lo = x0, hi = x1;
                    if (lo + off < 0)
                        lo = -off;
                    if (hi + off > n_traces)
                        hi = n_traces - off;
                    if (lo >= hi)
                        continue;
                    const float *r0 = env + (int64_t)e_idx[e] * nt + off;
                    const float *r1 = r0 + nt;
                    const float w0 = e_w0[e], w1 = e_w1[e];
                    const double w = e_w[e];
                    for (int32_t x = lo; x < hi; x++) {
                        acc[x - x0] += w0 * r0[x] + w1 * r1[x];
                        wsum[x - x0] += w;
                    }
                }
                const double need = min_weight_fraction * cell->wfull;
                for (int32_t i = 0; i < nx; i++) {
                    if (wsum[i] > 0.0 && wsum[i] >= need) {
                        const float val = (float)(acc[i] / wsum[i]);
                        if (val > top[i]) {
                            top[i] = val;
                            arg[i] = iv;
                        }
                    }
                }
            }
            memcpy(best + (int64_t)k * nt + x0, top, (size_t)nx * sizeof(float));
            memcpy(best_index + (int64_t)k * nt + x0, arg, (size_t)nx * sizeof(int32_t));
        }
    }

    free(cells); free(e_off); free(e_idx); free(e_w0); free(e_w1); free(e_w);
    return 0;
}
