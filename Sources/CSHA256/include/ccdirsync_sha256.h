#ifndef CCDIRSYNC_SHA256_H
#define CCDIRSYNC_SHA256_H

#include <stddef.h>
#include <stdint.h>

/// Whether this processor has the SHA extensions (and the SSE levels the compression below needs).
int ccdirsync_sha256_hardware_available(void);

/// Compresses `count` 64-byte blocks at `blocks` into `state` (the eight chaining words a..h) with the SHA
/// extensions. Call only when `ccdirsync_sha256_hardware_available()` returned 1.
void ccdirsync_sha256_hardware_compress(uint32_t state[8], const uint8_t *blocks, size_t count);

#endif
