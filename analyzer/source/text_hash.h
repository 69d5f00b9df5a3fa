#pragma once
// A fast hash of a text's bytes, for caches keyed by content (the shell syntax-tree cache, the
// repeated instruction scripts). std::hash of a string_view (libstdc++'s _Hash_bytes) reads eight
// bytes per step with several multiplications; this reads sixteen per step with one 64x64->128-bit
// multiplication (the wyhash construction), about four times fewer instructions on the
// kilobyte-long scripts those caches hash. Not for hostile keys: every user of it compares the
// bytes on a hit, so a collision costs a lookup, never a wrong answer.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace shiftlint {

namespace text_hash_detail {
inline uint64_t mix(uint64_t a, uint64_t b) {
  __uint128_t product = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}
inline uint64_t read64(const char* bytes) {
  uint64_t value;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}
}  // namespace text_hash_detail

inline size_t hash_text(std::string_view text) {
  using text_hash_detail::mix;
  using text_hash_detail::read64;
  constexpr uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull, k2 = 0x8ebc6af09c88c6e3ull;
  const char* bytes = text.data();
  size_t left = text.size();
  uint64_t state = k0 ^ (text.size() * k2);
  for (; left >= 16; bytes += 16, left -= 16) state = mix(read64(bytes) ^ k1, read64(bytes + 8) ^ state);
  // The last 0-15 bytes, zero-padded: never a read past the text.
  char tail[16] = {};
  if (left > 0) std::memcpy(tail, bytes, left);
  state = mix(read64(tail) ^ k1, read64(tail + 8) ^ state);
  return static_cast<size_t>(mix(state ^ k2, text.size() ^ k1));
}

// hash_text as an unordered container's hasher, transparent: `find` takes a string_view without
// building a std::string (with std::equal_to<> as the key equality).
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return hash_text(text); }
};

}  // namespace shiftlint
