#include "analyzer/parse/shell/arguments.h"

#include <algorithm>

namespace shiftlint::shell {

namespace {

bool looks_like_option(const Word& word) {
  std::string_view value = word.value;
  return value.size() > 1 && value[0] == '-' && !word.has_expansion;
}

ParsedArguments parse(std::span<const Word> arguments, std::initializer_list<std::string_view> with_value,
                      bool options_anywhere) {
  ParsedArguments result;
  result.operands.reserve(arguments.size());
  bool options_ended = false;
  for (size_t i = 0; i < arguments.size(); ++i) {
    const Word& word = arguments[i];
    if (options_ended || !looks_like_option(word)) {
      result.operands.push_back(&word);
      if (!options_anywhere) options_ended = true;
      continue;
    }
    if (word.value == "--") {
      options_ended = true;
      continue;
    }
    ParsedArguments::Option option{&word, nullptr};
    bool takes_value = std::find(with_value.begin(), with_value.end(), std::string_view(word.value)) != with_value.end();
    // Sized for every word left on the first option: one allocation, not one per doubling.
    if (result.options.empty()) result.options.reserve(arguments.size() - i);
    if (takes_value && i + 1 < arguments.size()) option.value = &arguments[++i];
    result.options.push_back(option);
  }
  return result;
}

}  // namespace

bool ParsedArguments::has(std::string_view name) const {
  return std::any_of(options.begin(), options.end(), [&](const Option& option) {
    std::string_view value = option.word->value;
    return value == name || (name.starts_with("--") && value.starts_with(name) && value.size() > name.size() &&
                             value[name.size()] == '=');
  });
}

bool ParsedArguments::has_letter(char letter) const {
  return std::any_of(options.begin(), options.end(), [&](const Option& option) {
    std::string_view value = option.word->value;
    return value.size() > 1 && value[0] == '-' && value[1] != '-' && value.find(letter, 1) != std::string_view::npos;
  });
}

const Word* ParsedArguments::value_of(std::string_view name) const {
  const Word* found = nullptr;
  for (const Option& option : options) {
    if (option.word->value == name && option.value) found = option.value;
  }
  return found;
}

ParsedArguments parse_arguments(std::span<const Word> arguments, std::initializer_list<std::string_view> with_value) {
  return parse(arguments, with_value, true);
}

ParsedArguments parse_leading_options(std::span<const Word> arguments,
                                      std::initializer_list<std::string_view> with_value) {
  return parse(arguments, with_value, false);
}

const Word* first_leading_operand(std::span<const Word> arguments, std::initializer_list<std::string_view> with_value) {
  // parse()'s walk with options_anywhere false, stopping at the first operand.
  for (size_t i = 0; i < arguments.size(); ++i) {
    const Word& word = arguments[i];
    if (!looks_like_option(word)) return &word;
    if (word.value == "--") return i + 1 < arguments.size() ? &arguments[i + 1] : nullptr;
    bool takes_value = std::find(with_value.begin(), with_value.end(), std::string_view(word.value)) != with_value.end();
    if (takes_value) ++i;
  }
  return nullptr;
}

std::string_view inline_value(const Word& option) {
  std::string_view value = option.value;
  size_t equals = value.find('=');
  if (!value.starts_with("--") || equals == std::string_view::npos) return {};
  return value.substr(equals + 1);
}

}  // namespace shiftlint::shell
