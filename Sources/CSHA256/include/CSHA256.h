#ifndef RIPA_CSHA256_H
#define RIPA_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// Incremental SHA-256 (FIPS 180-4), using the x86 SHA extensions when the CPU has them
/// and a portable implementation otherwise. The register hashes every leaf and node
/// (RFC 6962), on every append and again in every verification.
typedef struct {
    uint32_t h[8];
    uint8_t buffer[64];
    uint64_t length; /* bytes hashed so far */
} ripa_sha256_state;

void ripa_sha256_init(ripa_sha256_state *state);
void ripa_sha256_update(ripa_sha256_state *state, const uint8_t *data, size_t count);
void ripa_sha256_final(ripa_sha256_state *state, uint8_t digest[32]);

/// 1 if the SHA extensions are in use.
int ripa_sha256_accelerated(void);
/// For tests: 1 forces the portable implementation (so both paths are checked on one machine).
void ripa_sha256_force_portable(int force);

#endif
