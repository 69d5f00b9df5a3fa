#pragma once
// Text inside XML reports (JUnit, Checkstyle): escaped for attributes and element content alike,
// and kept to what XML 1.0 allows, so that a message quoting a file's odd bytes never makes the
// whole report unreadable to the CI system that parses it.
#include <cstdint>
#include <string>
#include <string_view>

namespace shiftlint {

// Appends `text` with & < > " ' escaped, invalid UTF-8 and the characters XML 1.0 forbids (control
// characters other than tab, line feed and carriage return; U+FFFE, U+FFFF) replaced by U+FFFD.
void append_xml_text(std::string& out, std::string_view text);
// Appends a number in decimal (an attribute's value: a line, a count).
void append_xml_number(std::string& out, uint64_t value);

}  // namespace shiftlint
