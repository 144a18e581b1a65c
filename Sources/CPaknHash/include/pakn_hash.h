#ifndef PAKN_HASH_H
#define PAKN_HASH_H
#include <stddef.h>
#include <stdint.h>

// SHA-256 of `len` bytes with the CPU's SHA instructions (x86 SHA-NI). Returns 1 and
// writes the 32-byte digest to `out`, or returns 0 when the CPU has no such instructions
// (the caller then uses the portable PaknCore.SHA256).
int pakn_sha256_hw(const uint8_t *data, size_t len, uint8_t out[32]);

// Whether pakn_sha256_hw can be used on this CPU.
int pakn_sha256_hw_available(void);
#endif
