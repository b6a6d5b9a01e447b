#include "CSHA256.h"

#include <stdatomic.h>
#include <string.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* ---- portable compression (FIPS 180-4 §6.2.2) ---- */

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress_portable(uint32_t h[8], const uint8_t *data, size_t blocks) {
    while (blocks--) {
        uint32_t w[64];
        for (int t = 0; t < 16; t++) {
            w[t] = (uint32_t)data[4 * t] << 24 | (uint32_t)data[4 * t + 1] << 16 | (uint32_t)data[4 * t + 2] << 8 | data[4 * t + 3];
        }
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = ROTR(w[t - 15], 7) ^ ROTR(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint32_t s1 = ROTR(w[t - 2], 17) ^ ROTR(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
        for (int t = 0; t < 64; t++) {
            uint32_t t1 = k + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
            uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            k = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
        data += 64;
    }
}

/* ---- x86 SHA extensions ---- */

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>

#define SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* The state is kept as ABEF and CDGH, the layout sha256rnds2 works on. Each group of four
   rounds uses four message words; words 16-63 come from sha256msg1/msg2 over the previous
   sixteen (Intel, "New Instructions Supporting the Secure Hash Algorithm on Intel
   Architecture Processors", 2013). */
SHA_TARGET static void compress_ni(uint32_t h[8], const uint8_t *data, size_t blocks) {
    const __m128i byteswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1); /* CDAB */
    __m128i state1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B); /* EFGH */
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);    /* ABEF */
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);        /* CDGH */

    while (blocks--) {
        const __m128i abef = state0, cdgh = state1;
        __m128i w[4];
        for (int group = 0; group < 16; group++) {
            __m128i words;
            if (group < 4) {
                words = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * group)), byteswap);
            } else {
                /* w[group % 4] holds the words of group - 4; the others, groups - 3 .. - 1. */
                __m128i oldest = w[group % 4], older = w[(group + 1) % 4];
                __m128i prev2 = w[(group + 2) % 4], prev1 = w[(group + 3) % 4];
                words = _mm_sha256msg1_epu32(oldest, older);
                words = _mm_add_epi32(words, _mm_alignr_epi8(prev1, prev2, 4));
                words = _mm_sha256msg2_epu32(words, prev1);
            }
            w[group % 4] = words;
            __m128i message = _mm_add_epi32(words, _mm_loadu_si128((const __m128i *)&K[4 * group]));
            state1 = _mm_sha256rnds2_epu32(state1, state0, message);
            state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(message, 0x0E));
        }
        state0 = _mm_add_epi32(state0, abef);
        state1 = _mm_add_epi32(state1, cdgh);
        data += 64;
    }

    tmp = _mm_shuffle_epi32(state0, 0x1B);           /* FEBA */
    state1 = _mm_shuffle_epi32(state1, 0xB1);        /* DCHG */
    state0 = _mm_blend_epi16(tmp, state1, 0xF0);     /* DCBA */
    state1 = _mm_alignr_epi8(state1, tmp, 8);        /* HGFE */
    _mm_storeu_si128((__m128i *)&h[0], state0);
    _mm_storeu_si128((__m128i *)&h[4], state1);
}

static int cpu_has_sha(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int sha = (b >> 29) & 1;
    return ssse3 && sse41 && sha;
}
#else
static void compress_ni(uint32_t h[8], const uint8_t *data, size_t blocks) { compress_portable(h, data, blocks); }
static int cpu_has_sha(void) { return 0; }
#endif

/* -1: not yet probed. Two threads probing at once both store the same answer. */
static _Atomic int accelerated = -1;
static _Atomic int force_portable = 0;

int ripa_sha256_accelerated(void) {
    int known = atomic_load_explicit(&accelerated, memory_order_relaxed);
    if (known < 0) {
        known = cpu_has_sha();
        atomic_store_explicit(&accelerated, known, memory_order_relaxed);
    }
    return known && !atomic_load_explicit(&force_portable, memory_order_relaxed);
}

void ripa_sha256_force_portable(int force) { atomic_store_explicit(&force_portable, force, memory_order_relaxed); }

static void compress(uint32_t h[8], const uint8_t *data, size_t blocks) {
    if (ripa_sha256_accelerated()) {
        compress_ni(h, data, blocks);
    } else {
        compress_portable(h, data, blocks);
    }
}

void ripa_sha256_init(ripa_sha256_state *state) {
    static const uint32_t initial[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    memcpy(state->h, initial, sizeof initial);
    state->length = 0;
}

void ripa_sha256_update(ripa_sha256_state *state, const uint8_t *data, size_t count) {
    size_t used = (size_t)(state->length % 64);
    state->length += count;
    if (used > 0) {
        size_t take = 64 - used < count ? 64 - used : count;
        memcpy(state->buffer + used, data, take);
        data += take;
        count -= take;
        if (used + take < 64) return;
        compress(state->h, state->buffer, 1);
    }
    if (count >= 64) {
        compress(state->h, data, count / 64);
        data += count / 64 * 64;
        count %= 64;
    }
    if (count > 0) memcpy(state->buffer, data, count);
}

void ripa_sha256_final(ripa_sha256_state *state, uint8_t digest[32]) {
    uint64_t bits = state->length * 8;
    size_t used = (size_t)(state->length % 64);
    state->buffer[used++] = 0x80;
    if (used > 56) {
        memset(state->buffer + used, 0, 64 - used);
        compress(state->h, state->buffer, 1);
        used = 0;
    }
    memset(state->buffer + used, 0, 56 - used);
    for (int i = 0; i < 8; i++) state->buffer[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    compress(state->h, state->buffer, 1);
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(state->h[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(state->h[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(state->h[i] >> 8);
        digest[4 * i + 3] = (uint8_t)state->h[i];
    }
}
