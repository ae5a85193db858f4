#ifndef UPMAN_CRC32C_H
#define UPMAN_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Continues a CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) over `length` bytes.
///
/// `crc` is the running register, not the finished value: start with 0xFFFFFFFF and finish by
/// XOR with 0xFFFFFFFF (RFC 3720 §12.1). Uses the CPU's CRC32 instruction (SSE4.2 on x86-64,
/// the CRC extension on ARMv8) when it has one, else a slicing-by-8 table.
uint32_t upman_crc32c_update(uint32_t crc, const void *bytes, size_t length);

/// Whether `upman_crc32c_update` runs on the CPU's CRC32 instruction.
int upman_crc32c_hardware(void);

#endif
