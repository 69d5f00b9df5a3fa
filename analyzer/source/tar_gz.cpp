#include "analyzer/source/tar_gz.h"

#include <cstring>

#include <zlib.h>

namespace shiftlint {

namespace {

uint64_t octal(std::string_view field) {
  uint64_t value = 0;
  for (char c : field) {
    if (c == ' ' || c == '\0') {
      if (value) break;
      continue;
    }
    if (c < '0' || c > '7') break;
    value = value * 8 + (c - '0');
  }
  return value;
}

std::string field_text(std::string_view field) { return std::string(field.substr(0, field.find('\0'))); }

// PAX extended header records: "LEN key=value\n".
std::string pax_path(std::string_view records) {
  std::string path;
  while (!records.empty()) {
    size_t space = records.find(' ');
    if (space == std::string_view::npos) break;
    size_t length = std::strtoull(std::string(records.substr(0, space)).c_str(), nullptr, 10);
    if (length == 0 || length > records.size()) break;
    std::string_view record = records.substr(space + 1, length - space - 2);
    if (record.starts_with("path=")) path = std::string(record.substr(5));
    records.remove_prefix(length);
  }
  return path;
}

}  // namespace

ArchiveContents read_tar_gz(std::string_view compressed, uint64_t max_bytes, size_t max_files) {
  ArchiveContents result;
  std::string tar;
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 32) != Z_OK) {  // 15 + 32: zlib or gzip header
    result.error = "cannot initialise decompression";
    return result;
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  char buffer[1 << 16];
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      result.error = "not a valid gzip archive";
      break;
    }
    tar.append(buffer, sizeof buffer - stream.avail_out);
    if (tar.size() > max_bytes) {
      result.error = "archive inflates past the size limit";
      break;
    }
    if (stream.avail_in == 0 && status != Z_STREAM_END) {
      result.error = "truncated gzip archive";
      break;
    }
  }
  inflateEnd(&stream);
  if (!result.error.empty()) return result;

  std::string long_name;
  size_t offset = 0;
  while (offset + 512 <= tar.size()) {
    std::string_view header(tar.data() + offset, 512);
    if (header.find_first_not_of('\0') == std::string_view::npos) break;  // end-of-archive block
    uint64_t size = octal(header.substr(124, 12));
    char type = header[156];
    size_t data = offset + 512;
    if (data + size > tar.size()) {
      result.error = "truncated tar archive";
      return result;
    }
    std::string_view content(tar.data() + data, size);
    std::string name = field_text(header.substr(0, 100));
    std::string prefix = header.substr(257, 6).starts_with("ustar") ? field_text(header.substr(345, 155)) : "";
    if (!prefix.empty()) name = prefix + "/" + name;
    if (type == 'L') {
      long_name = field_text(content);
    } else if (type == 'x') {
      long_name = pax_path(content);
    } else if (type == '0' || type == '\0') {
      if (!long_name.empty()) name = long_name;
      long_name.clear();
      if (result.entries.size() >= max_files) {
        result.error = "archive holds too many files";
        return result;
      }
      result.entries.push_back({name, std::string(content)});
    } else {
      long_name.clear();
    }
    offset = data + (size + 511) / 512 * 512;
  }
  return result;
}

}  // namespace shiftlint
