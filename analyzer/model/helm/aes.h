#pragma once
// AES-256 in CBC mode (FIPS-197, SP 800-38A), for Sprig's encryptAES and decryptAES. The tables are
// computed from the field arithmetic at first use, not written out.
#include <string>
#include <string_view>

namespace shiftlint::helm {

// `key` is 32 bytes, `iv` 16, `data` a whole number of 16-byte blocks (the caller pads).
std::string aes256_cbc_encrypt(std::string_view key, std::string_view iv, std::string_view data);
std::string aes256_cbc_decrypt(std::string_view key, std::string_view iv, std::string_view data);

}  // namespace shiftlint::helm
