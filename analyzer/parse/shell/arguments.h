#pragma once
// A program's arguments split into options and operands, the way GNU getopt reads them: options may
// come anywhere, `--` ends them, and the options listed as taking a value consume the next word
// (unless written `--name=value` or `-Xvalue`).
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

#include "analyzer/parse/shell/command.h"

namespace shiftlint::shell {

struct ParsedArguments {
  struct Option {
    const Word* word = nullptr;
    const Word* value = nullptr;  // the next word, for an option that takes one
  };
  std::vector<Option> options;
  std::vector<const Word*> operands;

  // An option written exactly `name`, or `name=...` for a long one.
  bool has(std::string_view name) const;
  // A short option letter, alone or in a cluster: has_letter('y') matches `-y` and `-qy`.
  bool has_letter(char letter) const;
  // The value of an option that takes one (`-r FILE`, `--requirement=FILE` gives nullptr: see
  // inline_value), the last one when repeated.
  const Word* value_of(std::string_view name) const;
};

// `with_value`: the options (`-o`, `--target`) whose value is the next word.
ParsedArguments parse_arguments(std::span<const Word> arguments, std::initializer_list<std::string_view> with_value);

// Options only before the first operand (a subcommand, a program to run): the rest are operands.
ParsedArguments parse_leading_options(std::span<const Word> arguments,
                                      std::initializer_list<std::string_view> with_value);

// parse_leading_options(arguments, with_value).operands.front() (nullptr when there is none),
// without building the lists: a subcommand (`apt-get -y install`) is looked up this way.
const Word* first_leading_operand(std::span<const Word> arguments, std::initializer_list<std::string_view> with_value);

// `--name=value` → "value"; "" otherwise.
std::string_view inline_value(const Word& option);

}  // namespace shiftlint::shell
