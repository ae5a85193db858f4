#include "upman_crc32c.h"

#include <pthread.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#endif

#define UPMAN_CRC32C_POLY 0x82F63B78u

static uint32_t table[8][256];

static void build_table(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = n;
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ UPMAN_CRC32C_POLY : crc >> 1;
        table[0][n] = crc;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = table[0][n];
        for (int k = 1; k < 8; k++) {
            crc = table[0][crc & 0xFF] ^ (crc >> 8);
            table[k][n] = crc;
        }
    }
}

/// Slicing-by-8: eight table lookups per 8 bytes, for CPUs without a CRC32 instruction.
static uint32_t update_table(uint32_t crc, const unsigned char *p, size_t length) {
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        word = __builtin_bswap64(word);
#endif
        word ^= crc;
        crc = table[7][word & 0xFF] ^ table[6][(word >> 8) & 0xFF] ^ table[5][(word >> 16) & 0xFF]
            ^ table[4][(word >> 24) & 0xFF] ^ table[3][(word >> 32) & 0xFF] ^ table[2][(word >> 40) & 0xFF]
            ^ table[1][(word >> 48) & 0xFF] ^ table[0][word >> 56];
        p += 8;
        length -= 8;
    }
    while (length--) crc = table[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return crc;
}

/// a·b mod P in the reflected bit order (bit 31 holds x^0).
static uint32_t multiply_mod_p(uint32_t a, uint32_t b) {
    uint32_t product = 0;
    for (uint32_t mask = 1u << 31; mask != 0; mask >>= 1) {
        if (a & mask) product ^= b;
        b = (b & 1) ? (b >> 1) ^ UPMAN_CRC32C_POLY : b >> 1;
    }
    return product;
}

/// x^(8·bytes) mod P: what multiplying a CRC register by shifts it past `bytes` zero bytes.
static uint32_t shift_constant(size_t bytes) {
    uint32_t result = 1u << 31, square = 1u << 30; /* x^0, x^1 */
    for (uint64_t n = (uint64_t)bytes * 8; n != 0; n >>= 1) {
        if (n & 1) result = multiply_mod_p(square, result);
        square = multiply_mod_p(square, square);
    }
    return result;
}

/* The CRC32 instruction has a latency of three cycles and a throughput of one: three
 * independent streams over three thirds of a block keep it busy, and the three registers are
 * joined by shifting the first two past the bytes after them (the CRC is linear). */
#define UPMAN_CRC32C_STRIPE 4096

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t update_hardware(uint32_t crc, const unsigned char *p, size_t length) {
    static uint32_t shift_one = 0, shift_two = 0;
    uint64_t crc64 = crc;
    if (length >= 3 * UPMAN_CRC32C_STRIPE) {
        if (shift_two == 0) {
            /* Racing threads store the same values. */
            __atomic_store_n(&shift_one, shift_constant(UPMAN_CRC32C_STRIPE), __ATOMIC_RELAXED);
            __atomic_store_n(&shift_two, shift_constant(2 * UPMAN_CRC32C_STRIPE), __ATOMIC_RELAXED);
        }
        uint32_t one = __atomic_load_n(&shift_one, __ATOMIC_RELAXED);
        uint32_t two = __atomic_load_n(&shift_two, __ATOMIC_RELAXED);
        while (length >= 3 * UPMAN_CRC32C_STRIPE) {
            uint64_t a = crc64, b = 0, c = 0;
            for (size_t i = 0; i < UPMAN_CRC32C_STRIPE; i += 8) {
                uint64_t wa, wb, wc;
                memcpy(&wa, p + i, 8);
                memcpy(&wb, p + UPMAN_CRC32C_STRIPE + i, 8);
                memcpy(&wc, p + 2 * UPMAN_CRC32C_STRIPE + i, 8);
                a = __builtin_ia32_crc32di(a, wa);
                b = __builtin_ia32_crc32di(b, wb);
                c = __builtin_ia32_crc32di(c, wc);
            }
            crc64 = multiply_mod_p(two, (uint32_t)a) ^ multiply_mod_p(one, (uint32_t)b) ^ (uint32_t)c;
            p += 3 * UPMAN_CRC32C_STRIPE;
            length -= 3 * UPMAN_CRC32C_STRIPE;
        }
    }
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        crc64 = __builtin_ia32_crc32di(crc64, word);
        p += 8;
        length -= 8;
    }
    crc = (uint32_t)crc64;
    while (length--) crc = __builtin_ia32_crc32qi(crc, *p++);
    return crc;
}

static int detect_hardware(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    return (ecx & bit_SSE4_2) != 0;
}
#elif defined(__aarch64__) && defined(__linux__)
__attribute__((target("+crc")))
static uint32_t update_hardware(uint32_t crc, const unsigned char *p, size_t length) {
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        crc = __builtin_aarch64_crc32cx(crc, word);
        p += 8;
        length -= 8;
    }
    while (length--) crc = __builtin_aarch64_crc32cb(crc, *p++);
    return crc;
}

static int detect_hardware(void) {
    return (getauxval(AT_HWCAP) & (1 << 7)) != 0; /* HWCAP_CRC32 */
}
#else
static uint32_t update_hardware(uint32_t crc, const unsigned char *p, size_t length) {
    return update_table(crc, p, length);
}

static int detect_hardware(void) { return 0; }
#endif

static int hardware = 0;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void initialize(void) {
    hardware = detect_hardware();
    if (!hardware) build_table();
}

uint32_t upman_crc32c_update(uint32_t crc, const void *bytes, size_t length) {
    if (length == 0) return crc;
    pthread_once(&once, initialize);
    if (hardware) return update_hardware(crc, (const unsigned char *)bytes, length);
    return update_table(crc, (const unsigned char *)bytes, length);
}

int upman_crc32c_hardware(void) {
    pthread_once(&once, initialize);
    return hardware;
}
