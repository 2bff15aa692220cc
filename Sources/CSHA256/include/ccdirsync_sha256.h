#ifndef CCDIRSYNC_SHA256_H
#define CCDIRSYNC_SHA256_H

#include <stddef.h>
#include <stdint.h>

/// The 64 round constants K of FIPS 180-4, for the portable rounds too.
const uint32_t *ccdirsync_sha256_round_constants(void);

/// Whether this processor has the SHA extensions (and the SSE levels the compression below needs).
int ccdirsync_sha256_hardware_available(void);

/// Compresses `count` 64-byte blocks at `blocks` into `state` (the eight chaining words a..h) with the SHA
/// extensions. Call only when `ccdirsync_sha256_hardware_available()` returned 1.
void ccdirsync_sha256_hardware_compress(uint32_t state[8], const uint8_t *blocks, size_t count);

#endif
