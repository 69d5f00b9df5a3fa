// AES-256: 14 rounds over a 16-byte state kept column by column (byte r + 4c is row r, column c),
// with round keys expanded from the 32-byte key.
#include "analyzer/model/helm/aes.h"

#include <array>
#include <cstdint>

namespace shiftlint::helm {

namespace {

using Block = std::array<uint8_t, 16>;

uint8_t times_two(uint8_t a) { return static_cast<uint8_t>((a << 1) ^ ((a & 0x80) ? 0x1B : 0)); }

uint8_t multiply(uint8_t a, uint8_t b) {
  uint8_t product = 0;
  for (; b; b >>= 1, a = times_two(a))
    if (b & 1) product ^= a;
  return product;
}

struct Tables {
  std::array<uint8_t, 256> substitute{};
  std::array<uint8_t, 256> inverse_substitute{};
  Tables() {
    for (int x = 0; x < 256; ++x) {
      // The multiplicative inverse in GF(2^8) (0 for 0), then the affine transformation.
      uint8_t inverse = 0;
      for (int y = 1; y < 256 && x != 0; ++y)
        if (multiply(static_cast<uint8_t>(x), static_cast<uint8_t>(y)) == 1) inverse = static_cast<uint8_t>(y);
      auto rotate = [](uint8_t v, int n) { return static_cast<uint8_t>((v << n) | (v >> (8 - n))); };
      uint8_t s = inverse ^ rotate(inverse, 1) ^ rotate(inverse, 2) ^ rotate(inverse, 3) ^ rotate(inverse, 4) ^ 0x63;
      substitute[x] = s;
      inverse_substitute[s] = static_cast<uint8_t>(x);
    }
  }
};

const Tables& tables() {
  static const Tables instance;
  return instance;
}

// 15 round keys of 16 bytes.
std::array<uint8_t, 240> expand_key(std::string_view key) {
  const Tables& t = tables();
  std::array<uint8_t, 240> expanded{};
  for (int i = 0; i < 32; ++i) expanded[i] = static_cast<uint8_t>(key[i]);
  uint8_t round_constant = 1;
  for (int word = 8; word < 60; ++word) {
    uint8_t temp[4];
    for (int k = 0; k < 4; ++k) temp[k] = expanded[(word - 1) * 4 + k];
    if (word % 8 == 0) {
      uint8_t first = temp[0];
      temp[0] = t.substitute[temp[1]] ^ round_constant;
      temp[1] = t.substitute[temp[2]];
      temp[2] = t.substitute[temp[3]];
      temp[3] = t.substitute[first];
      round_constant = times_two(round_constant);
    } else if (word % 8 == 4) {
      for (uint8_t& byte : temp) byte = t.substitute[byte];
    }
    for (int k = 0; k < 4; ++k) expanded[word * 4 + k] = expanded[(word - 8) * 4 + k] ^ temp[k];
  }
  return expanded;
}

void add_round_key(Block& state, const std::array<uint8_t, 240>& keys, int round) {
  for (int i = 0; i < 16; ++i) state[i] ^= keys[round * 16 + i];
}

void encrypt_block(Block& state, const std::array<uint8_t, 240>& keys) {
  const Tables& t = tables();
  add_round_key(state, keys, 0);
  for (int round = 1; round <= 14; ++round) {
    for (uint8_t& byte : state) byte = t.substitute[byte];
    Block shifted;
    for (int row = 0; row < 4; ++row)
      for (int column = 0; column < 4; ++column) shifted[row + 4 * column] = state[row + 4 * ((column + row) % 4)];
    state = shifted;
    if (round != 14) {
      for (int column = 0; column < 4; ++column) {
        uint8_t* a = &state[4 * column];
        uint8_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
        a[0] = times_two(a0) ^ (times_two(a1) ^ a1) ^ a2 ^ a3;
        a[1] = a0 ^ times_two(a1) ^ (times_two(a2) ^ a2) ^ a3;
        a[2] = a0 ^ a1 ^ times_two(a2) ^ (times_two(a3) ^ a3);
        a[3] = (times_two(a0) ^ a0) ^ a1 ^ a2 ^ times_two(a3);
      }
    }
    add_round_key(state, keys, round);
  }
}

void decrypt_block(Block& state, const std::array<uint8_t, 240>& keys) {
  const Tables& t = tables();
  add_round_key(state, keys, 14);
  for (int round = 13; round >= 0; --round) {
    Block shifted;
    for (int row = 0; row < 4; ++row)
      for (int column = 0; column < 4; ++column) shifted[row + 4 * ((column + row) % 4)] = state[row + 4 * column];
    state = shifted;
    for (uint8_t& byte : state) byte = t.inverse_substitute[byte];
    add_round_key(state, keys, round);
    if (round != 0) {
      for (int column = 0; column < 4; ++column) {
        uint8_t* a = &state[4 * column];
        uint8_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
        a[0] = multiply(a0, 14) ^ multiply(a1, 11) ^ multiply(a2, 13) ^ multiply(a3, 9);
        a[1] = multiply(a0, 9) ^ multiply(a1, 14) ^ multiply(a2, 11) ^ multiply(a3, 13);
        a[2] = multiply(a0, 13) ^ multiply(a1, 9) ^ multiply(a2, 14) ^ multiply(a3, 11);
        a[3] = multiply(a0, 11) ^ multiply(a1, 13) ^ multiply(a2, 9) ^ multiply(a3, 14);
      }
    }
  }
}

Block block_at(std::string_view data, size_t offset) {
  Block block;
  for (int i = 0; i < 16; ++i) block[i] = static_cast<uint8_t>(data[offset + i]);
  return block;
}

}  // namespace

std::string aes256_cbc_encrypt(std::string_view key, std::string_view iv, std::string_view data) {
  std::array<uint8_t, 240> keys = expand_key(key);
  Block chain = block_at(iv, 0);
  std::string out;
  out.reserve(data.size());
  for (size_t offset = 0; offset + 16 <= data.size(); offset += 16) {
    Block block = block_at(data, offset);
    for (int i = 0; i < 16; ++i) block[i] ^= chain[i];
    encrypt_block(block, keys);
    chain = block;
    out.append(reinterpret_cast<const char*>(block.data()), 16);
  }
  return out;
}

std::string aes256_cbc_decrypt(std::string_view key, std::string_view iv, std::string_view data) {
  std::array<uint8_t, 240> keys = expand_key(key);
  Block chain = block_at(iv, 0);
  std::string out;
  out.reserve(data.size());
  for (size_t offset = 0; offset + 16 <= data.size(); offset += 16) {
    Block cipher = block_at(data, offset);
    Block block = cipher;
    decrypt_block(block, keys);
    for (int i = 0; i < 16; ++i) block[i] ^= chain[i];
    chain = cipher;
    out.append(reinterpret_cast<const char*>(block.data()), 16);
  }
  return out;
}

}  // namespace shiftlint::helm
