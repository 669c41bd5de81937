package io.flotilla.loadbalancer.core;

/** 64-bit string hashes with good avalanche: FNV-1a over the UTF-16 code units, then murmur3's finalizer. */
final class Hashing {

    private Hashing() {
    }

    static long hash(String value) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < value.length(); i++) {
            hash ^= value.charAt(i);
            hash *= 0x100000001b3L;
        }
        return mix(hash);
    }

    /** Point {@code replica} of {@code value} on a hash ring: splitmix64 steps from the value's hash. */
    static long hash(String value, int replica) {
        return mix(hash(value) + (replica + 1L) * 0x9e3779b97f4a7c15L);
    }

    private static long mix(long hash) {
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }
}
