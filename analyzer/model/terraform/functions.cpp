#include "analyzer/model/terraform/functions.h"

#include "analyzer/model/terraform/evaluation_state.h"

#include <algorithm>
#include <map>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include <fmt/format.h>
#include <re2/re2.h>

#include "analyzer/model/terraform/json_values.h"
#include "analyzer/model/terraform/module.h"

namespace shiftlint::terraform {

namespace {

using Arguments = std::vector<Node>;
using Function = FunctionResult (*)(Arguments&, const CallSite&);

// ---- making values -----------------------------------------------------------------------------

Node made(NodeKind kind, const CallSite& site) {
  Node node;
  node.kind = kind;
  node.file = site.file;
  node.span = site.span;
  return node;
}

FunctionResult unknown(const CallSite& site) {
  Node node = made(NodeKind::Unknown, site);
  node.text = shortened_source(site.text);
  return {std::move(node), {}};
}

FunctionResult failure(std::string message) { return {Node{}, std::move(message)}; }

FunctionResult string_result(std::string text, const CallSite& site) {
  if (text.size() > kMaxStringBytes)
    return failure(fmt::format("the result is longer than {} MiB", kMaxStringBytes >> 20));
  Node node = made(NodeKind::String, site);
  node.text = std::move(text);
  return {std::move(node), {}};
}

FunctionResult number_result(double number, const CallSite& site) {
  Node node = made(NodeKind::Number, site);
  node.number = number;
  node.text = format_number(number);
  return {std::move(node), {}};
}

FunctionResult boolean_result(bool value, const CallSite& site) {
  Node node = made(NodeKind::Boolean, site);
  node.boolean = value;
  return {std::move(node), {}};
}

FunctionResult list_result(std::vector<Node> items, const CallSite& site) {
  Node node = made(NodeKind::List, site);
  for (Node& item : items) item.key.clear(), item.key_span = {};
  node.children = std::move(items);
  return {std::move(node), {}};
}

FunctionResult passed(Node value) { return {std::move(value), {}}; }

// ---- reading arguments -------------------------------------------------------------------------

bool is_collection(const Node& node) { return node.kind == NodeKind::List || node.kind == NodeKind::Map; }

std::optional<double> number_of(const Node& value) {
  if (value.kind == NodeKind::Number) return value.number;
  if (value.kind == NodeKind::String) return value.as_number();
  return std::nullopt;
}

std::optional<int64_t> integer_of(const Node& value) {
  auto number = number_of(value);
  if (!number || !std::isfinite(*number) || std::floor(*number) != *number || std::fabs(*number) > 9e15)
    return std::nullopt;
  return static_cast<int64_t>(*number);
}

std::optional<bool> boolean_of(const Node& value) {
  if (value.kind == NodeKind::Boolean) return value.boolean;
  if (value.kind == NodeKind::String) {
    if (value.text == "true") return true;
    if (value.text == "false") return false;
  }
  return std::nullopt;
}

const char* kind_name(const Node& value) {
  switch (value.kind) {
    case NodeKind::Null: return "null";
    case NodeKind::Boolean: return "bool";
    case NodeKind::Number: return "number";
    case NodeKind::String: return "string";
    case NodeKind::List: return "list";
    case NodeKind::Map: return "map";
    case NodeKind::Unknown: return "unknown value";
  }
  return "value";
}

bool has_unknown_item(const Node& collection) {
  for (const Node& item : collection.children)
    if (item.kind == NodeKind::Unknown) return true;
  return false;
}

// Map members in Terraform's iteration order: by key.
std::vector<const Node*> sorted_members(const Node& map) {
  std::vector<const Node*> members;
  members.reserve(map.children.size());
  for (const Node& child : map.children) members.push_back(&child);
  std::stable_sort(members.begin(), members.end(), [](const Node* a, const Node* b) { return a->key < b->key; });
  return members;
}

bool same_value(const Node& a, const Node& b) {
  if (a.kind != b.kind) {
    // Terraform compares "1" and 1 as different types; stay strict.
    return false;
  }
  switch (a.kind) {
    case NodeKind::Null: return true;
    case NodeKind::Boolean: return a.boolean == b.boolean;
    case NodeKind::Number: return a.number == b.number;
    case NodeKind::String: return a.text == b.text;
    case NodeKind::Unknown: return false;
    case NodeKind::List:
      if (a.children.size() != b.children.size()) return false;
      for (size_t i = 0; i < a.children.size(); ++i)
        if (!same_value(a.children[i], b.children[i])) return false;
      return true;
    case NodeKind::Map:
      if (a.children.size() != b.children.size()) return false;
      for (const Node& member : a.children) {
        const Node* other = b.find(member.key);
        if (!other || !same_value(member, *other)) return false;
      }
      return true;
  }
  return false;
}

size_t utf8_length(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

// Byte offset of the code point at `index` (or text.size()).
size_t utf8_offset(std::string_view text, size_t index) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (count == index) return i;
    ++count;
  }
  return text.size();
}

// ---- the functions -----------------------------------------------------------------------------

FunctionResult jsonencode(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1) return failure("jsonencode takes one argument");
  Node& value = arguments[0];
  if (value.kind == NodeKind::Unknown) return unknown(site);
  bool partly_unknown = contains_unknown(value);
  Node result = made(partly_unknown ? NodeKind::Unknown : NodeKind::String, site);
  result.text = partly_unknown ? shortened_source(site.text) : encode_json(value);
  if (result.text.size() > kMaxStringBytes) return failure("the JSON text would be too long");
  if (is_collection(value)) {
    Node structure = std::move(value);
    structure.key.clear();
    structure.key_span = {};
    result.children.push_back(std::move(structure));
  }
  return passed(std::move(result));
}

FunctionResult jsondecode(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1) return failure("jsondecode takes one argument");
  Node& value = arguments[0];
  if (const Node* structure = json_structure(value)) return passed(*structure);
  if (value.kind == NodeKind::Unknown) return unknown(site);
  if (value.kind != NodeKind::String) return failure(fmt::format("jsondecode needs a string, not a {}", kind_name(value)));
  Node result;
  std::string error;
  if (!decode_json_text(value.text, value.file ? value.file : site.file, value.file ? value.span : site.span, result,
                        error))
    return failure("jsondecode: the string is not valid JSON: " + error);
  return passed(std::move(result));
}

FunctionResult merge(Arguments& arguments, const CallSite& site) {
  Node result = made(NodeKind::Map, site);
  for (Node& argument : arguments) {
    if (argument.kind == NodeKind::Null) continue;
    if (argument.kind != NodeKind::Map) return failure(fmt::format("merge takes maps or objects, not a {}", kind_name(argument)));
    for (Node& member : argument.children) {
      auto same_key = std::find_if(result.children.begin(), result.children.end(),
                                   [&](const Node& existing) { return existing.key == member.key; });
      if (same_key != result.children.end()) *same_key = std::move(member);
      else result.children.push_back(std::move(member));
    }
  }
  return passed(std::move(result));
}

FunctionResult concat(Arguments& arguments, const CallSite& site) {
  std::vector<Node> items;
  for (Node& argument : arguments) {
    if (argument.kind != NodeKind::List) return failure(fmt::format("concat takes lists, not a {}", kind_name(argument)));
    for (Node& item : argument.children) items.push_back(std::move(item));
    if (items.size() > kMaxCollectionItems) return failure("the list would be too long");
  }
  return list_result(std::move(items), site);
}

bool flatten_into(Node& list, std::vector<Node>& items, bool& unknown_item, uint32_t depth) {
  if (depth > 64) return false;
  for (Node& item : list.children) {
    if (item.kind == NodeKind::Unknown) unknown_item = true;
    if (item.kind == NodeKind::List) {
      if (!flatten_into(item, items, unknown_item, depth + 1)) return false;
    } else {
      items.push_back(std::move(item));
    }
    if (items.size() > kMaxCollectionItems) return false;
  }
  return true;
}

FunctionResult flatten(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1 || arguments[0].kind != NodeKind::List) return failure("flatten takes one list");
  std::vector<Node> items;
  bool unknown_item = false;
  if (!flatten_into(arguments[0], items, unknown_item, 0)) return failure("the list is too long or too deep to flatten");
  // An unknown item might itself be a list: the result's length is not known.
  if (unknown_item) return unknown(site);
  return list_result(std::move(items), site);
}

FunctionResult lookup(Arguments& arguments, const CallSite& site) {
  if (arguments.size() < 2 || arguments.size() > 3) return failure("lookup takes a map, a key and an optional default");
  Node& map = arguments[0];
  Node& key = arguments[1];
  if (map.kind == NodeKind::Unknown || key.kind == NodeKind::Unknown) return unknown(site);
  if (map.kind != NodeKind::Map) return failure(fmt::format("lookup needs a map, not a {}", kind_name(map)));
  auto name = string_of(key);
  if (!name) return failure("lookup needs a string key");
  for (Node& member : map.children)
    if (member.key == *name) return passed(std::move(member));
  if (arguments.size() == 3) return passed(std::move(arguments[2]));
  return failure(fmt::format("lookup: the map has no key \"{}\" and no default is given", *name));
}

FunctionResult coalesce(Arguments& arguments, const CallSite& site) {
  for (Node& argument : arguments) {
    if (argument.kind == NodeKind::Unknown) return unknown(site);
    if (argument.kind == NodeKind::Null) continue;
    if (argument.kind == NodeKind::String && argument.text.empty()) continue;
    return passed(std::move(argument));
  }
  return failure("coalesce: every argument is null or an empty string");
}

FunctionResult coalescelist(Arguments& arguments, const CallSite& site) {
  for (Node& argument : arguments) {
    if (argument.kind == NodeKind::Unknown) return unknown(site);
    if (argument.kind == NodeKind::List && !argument.children.empty()) return passed(std::move(argument));
  }
  return failure("coalescelist: every list is empty");
}

// Go-style verbs as Terraform's format() knows them: %s %d %f %v %q %t %%, with flags and width.
FunctionResult format(Arguments& arguments, const CallSite& site) {
  if (arguments.empty()) return failure("format needs a format string");
  auto pattern = string_of(arguments[0]);
  if (!pattern) return failure("format needs a string as its first argument");
  std::string out;
  size_t next = 1;
  for (size_t i = 0; i < pattern->size(); ++i) {
    char c = (*pattern)[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 1 < pattern->size() && (*pattern)[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    size_t spec_begin = i + 1;
    size_t j = spec_begin;
    while (j < pattern->size() && std::string_view("+- #0").find((*pattern)[j]) != std::string_view::npos) ++j;
    while (j < pattern->size() && (std::isdigit(static_cast<unsigned char>((*pattern)[j])) || (*pattern)[j] == '.')) ++j;
    if (j >= pattern->size()) return failure("format: the format string ends in the middle of a verb");
    std::string flags = pattern->substr(spec_begin, j - spec_begin);
    char verb = (*pattern)[j];
    i = j;
    if (next >= arguments.size()) return failure("format: not enough arguments for the format string");
    const Node& value = arguments[next++];
    if (value.kind == NodeKind::Unknown) return unknown(site);
    if (flags.size() > 8) return failure("format: the verb's width is too large");
    std::string piece;
    switch (verb) {
      case 's':
      case 'v': {
        auto text = string_of(value);
        if (!text) {
          if (verb == 'v' && is_collection(value)) text = encode_json(value);
          else return failure(fmt::format("format: %{} cannot show a {}", verb, kind_name(value)));
        }
        piece = *text;
        break;
      }
      case 'q': {
        auto text = string_of(value);
        if (!text) return failure("format: %q needs a string");
        Node quoted;
        quoted.kind = NodeKind::String;
        quoted.text = *text;
        piece = encode_json(quoted);
        break;
      }
      case 'd': {
        auto number = integer_of(value);
        if (!number) return failure(fmt::format("format: %d needs a whole number, not {}", value.describe()));
        piece = std::to_string(*number);
        break;
      }
      case 'f':
      case 'e':
      case 'g': {
        auto number = number_of(value);
        if (!number) return failure(fmt::format("format: %{} needs a number", verb));
        piece = fmt::format(fmt::runtime("{:" + (flags.find('.') != std::string::npos ? flags.substr(flags.find('.')) : std::string(verb == 'f' ? ".6" : "")) + verb + "}"), *number);
        flags = flags.substr(0, flags.find('.'));
        break;
      }
      case 't': {
        auto flag = boolean_of(value);
        if (!flag) return failure("format: %t needs a bool");
        piece = *flag ? "true" : "false";
        break;
      }
      case 'x':
      case 'X':
      case 'o':
      case 'b': {
        auto number = integer_of(value);
        if (!number) return failure(fmt::format("format: %{} needs a whole number", verb));
        piece = fmt::format(fmt::runtime(std::string("{:") + verb + "}"), *number);
        break;
      }
      default: return failure(fmt::format("format: unsupported verb %{}", verb));
    }
    // Width and padding ("%-10s", "%05d").
    size_t width = 0;
    bool left = flags.find('-') != std::string::npos;
    bool zero = !left && flags.find('0') == 0;
    std::string digits;
    for (char f : flags)
      if (std::isdigit(static_cast<unsigned char>(f)) && !(digits.empty() && f == '0')) digits += f;
    if (!digits.empty()) width = std::stoul(digits);
    if (width > 1024) return failure("format: the verb's width is too large");
    size_t length = utf8_length(piece);
    if (length < width) {
      std::string padding(width - length, zero ? '0' : ' ');
      piece = left ? piece + padding : padding + piece;
    }
    out += piece;
    if (out.size() > kMaxStringBytes) return failure("the result is too long");
  }
  if (next < arguments.size()) return failure("format: too many arguments for the format string");
  return string_result(std::move(out), site);
}

FunctionResult formatlist(Arguments& arguments, const CallSite& site) {
  size_t length = 0;
  bool any_list = false;
  for (size_t i = 1; i < arguments.size(); ++i) {
    if (arguments[i].kind != NodeKind::List) continue;
    if (has_unknown_item(arguments[i])) return unknown(site);
    if (any_list && arguments[i].children.size() != length) return failure("formatlist: the lists differ in length");
    length = arguments[i].children.size();
    any_list = true;
  }
  if (!any_list) return failure("formatlist needs at least one list");
  std::vector<Node> items;
  for (size_t index = 0; index < length; ++index) {
    Arguments one;
    one.push_back(arguments[0]);
    for (size_t i = 1; i < arguments.size(); ++i)
      one.push_back(arguments[i].kind == NodeKind::List ? arguments[i].children[index] : arguments[i]);
    FunctionResult item = format(one, site);
    if (!item.error.empty()) return item;
    items.push_back(std::move(item.value));
  }
  return list_result(std::move(items), site);
}

FunctionResult join(Arguments& arguments, const CallSite& site) {
  if (arguments.size() < 2) return failure("join takes a separator and lists");
  auto separator = string_of(arguments[0]);
  if (!separator) return failure("join needs a string separator");
  std::string out;
  bool first = true;
  for (size_t i = 1; i < arguments.size(); ++i) {
    if (arguments[i].kind != NodeKind::List) return failure(fmt::format("join needs lists, not a {}", kind_name(arguments[i])));
    for (const Node& item : arguments[i].children) {
      if (item.kind == NodeKind::Unknown) return unknown(site);
      auto text = string_of(item);
      if (!text) return failure(fmt::format("join: a {} is not a string", kind_name(item)));
      if (!first) out += *separator;
      out += *text;
      first = false;
      if (out.size() > kMaxStringBytes) return failure("the result is too long");
    }
  }
  return string_result(std::move(out), site);
}

FunctionResult split(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 2) return failure("split takes a separator and a string");
  auto separator = string_of(arguments[0]);
  auto text = string_of(arguments[1]);
  if (!separator || !text) return failure("split needs strings");
  std::vector<Node> items;
  auto piece = [&](std::string value) {
    Node node = made(NodeKind::String, site);
    node.text = std::move(value);
    items.push_back(std::move(node));
  };
  if (separator->empty()) {
    for (size_t i = 0; i < text->size();) {
      size_t next = utf8_offset(*text, utf8_length(text->substr(0, i)) + 1);
      piece(text->substr(i, next - i));
      i = next;
      if (items.size() > kMaxCollectionItems) return failure("the list would be too long");
    }
  } else {
    size_t begin = 0;
    while (true) {
      size_t at = text->find(*separator, begin);
      piece(text->substr(begin, at == std::string::npos ? std::string::npos : at - begin));
      if (at == std::string::npos) break;
      begin = at + separator->size();
      if (items.size() > kMaxCollectionItems) return failure("the list would be too long");
    }
  }
  return list_result(std::move(items), site);
}

// Terraform's replacement strings use $1 / ${name}; RE2 wants \1.
std::string re2_rewrite(std::string_view replacement) {
  std::string out;
  for (size_t i = 0; i < replacement.size(); ++i) {
    char c = replacement[i];
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '$' && i + 1 < replacement.size() && std::isdigit(static_cast<unsigned char>(replacement[i + 1]))) {
      out += '\\';
      out += replacement[++i];
    } else if (c == '$' && i + 2 < replacement.size() && replacement[i + 1] == '{' &&
               std::isdigit(static_cast<unsigned char>(replacement[i + 2]))) {
      size_t close = replacement.find('}', i);
      if (close == std::string_view::npos) {
        out += c;
        continue;
      }
      out += '\\';
      out += replacement.substr(i + 2, close - i - 2);
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

FunctionResult replace(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 3) return failure("replace takes a string, a substring and a replacement");
  auto text = string_of(arguments[0]);
  auto search = string_of(arguments[1]);
  auto replacement = string_of(arguments[2]);
  if (!text || !search || !replacement) return failure("replace needs strings");
  if (search->size() >= 2 && search->front() == '/' && search->back() == '/') {
    RE2::Options options;
    options.set_log_errors(false);
    RE2 pattern(search->substr(1, search->size() - 2), options);
    if (!pattern.ok()) return failure("replace: invalid regular expression: " + pattern.error());
    std::string result = *text;
    RE2::GlobalReplace(&result, pattern, re2_rewrite(*replacement));
    return string_result(std::move(result), site);
  }
  if (search->empty()) return string_result(*text, site);
  std::string result;
  size_t begin = 0;
  for (size_t at = text->find(*search); at != std::string::npos; at = text->find(*search, begin)) {
    result.append(*text, begin, at - begin).append(*replacement);
    begin = at + search->size();
    if (result.size() > kMaxStringBytes) return failure("the result is too long");
  }
  result.append(*text, begin);
  return string_result(std::move(result), site);
}

template <typename Change>
FunctionResult string_change(Arguments& arguments, const CallSite& site, std::string_view name, Change change) {
  if (arguments.size() != 1) return failure(fmt::format("{} takes one string", name));
  auto text = string_of(arguments[0]);
  if (!text) return failure(fmt::format("{} needs a string, not a {}", name, kind_name(arguments[0])));
  return string_result(change(std::move(*text)), site);
}

// regex() and regexall(): a match is the matched text without capture groups, a list of the groups,
// or a map when the groups are named (RE2 syntax, as Terraform's Go regexp).
FunctionResult regex_matches(Arguments& arguments, const CallSite& site, bool all) {
  if (arguments.size() != 2) return failure("the function takes a pattern and a string");
  auto pattern = string_of(arguments[0]);
  auto text = string_of(arguments[1]);
  if (!pattern || !text) return failure("the function needs a pattern string and a string");
  RE2::Options options;
  options.set_log_errors(false);
  RE2 expression(*pattern, options);
  if (!expression.ok()) return failure("invalid regular expression: " + expression.error());
  int groups = expression.NumberOfCapturingGroups();
  const std::map<int, std::string>& names = expression.CapturingGroupNames();
  std::vector<re2::StringPiece> submatches(static_cast<size_t>(groups) + 1);
  std::vector<Node> matches;
  size_t position = 0;
  while (position <= text->size()) {
    if (!expression.Match(*text, position, text->size(), RE2::UNANCHORED, submatches.data(), groups + 1)) break;
    Node match;
    auto piece = [&](int group) {
      Node node = made(NodeKind::String, site);
      if (submatches[static_cast<size_t>(group)].data()) node.text = std::string(submatches[static_cast<size_t>(group)]);
      else node.kind = NodeKind::Null;
      return node;
    };
    if (groups == 0) {
      match = piece(0);
    } else if (!names.empty()) {
      match = made(NodeKind::Map, site);
      for (const auto& [group, name] : names) {
        Node value = piece(group);
        value.key = name;
        match.children.push_back(std::move(value));
      }
    } else {
      match = made(NodeKind::List, site);
      for (int group = 1; group <= groups; ++group) match.children.push_back(piece(group));
    }
    if (!all) return passed(std::move(match));
    matches.push_back(std::move(match));
    if (matches.size() > kMaxCollectionItems) return failure("too many matches");
    size_t end = static_cast<size_t>(submatches[0].data() - text->data()) + submatches[0].size();
    position = end > position ? end : position + 1;
  }
  if (!all) return failure("regex: the pattern does not match the string");
  return list_result(std::move(matches), site);
}
FunctionResult regex(Arguments& arguments, const CallSite& site) { return regex_matches(arguments, site, false); }
FunctionResult regexall(Arguments& arguments, const CallSite& site) { return regex_matches(arguments, site, true); }

FunctionResult lower(Arguments& arguments, const CallSite& site) {
  return string_change(arguments, site, "lower", [](std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  });
}
FunctionResult upper(Arguments& arguments, const CallSite& site) {
  return string_change(arguments, site, "upper", [](std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
  });
}
FunctionResult title(Arguments& arguments, const CallSite& site) {
  return string_change(arguments, site, "title", [](std::string text) {
    bool start = true;
    for (char& c : text) {
      if (start) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      start = std::isspace(static_cast<unsigned char>(c));
    }
    return text;
  });
}
FunctionResult trimspace(Arguments& arguments, const CallSite& site) {
  return string_change(arguments, site, "trimspace", [](std::string text) {
    size_t begin = text.find_first_not_of(" \t\n\r\f\v");
    if (begin == std::string::npos) return std::string();
    size_t end = text.find_last_not_of(" \t\n\r\f\v");
    return text.substr(begin, end - begin + 1);
  });
}
FunctionResult chomp(Arguments& arguments, const CallSite& site) {
  return string_change(arguments, site, "chomp", [](std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
  });
}

FunctionResult trim_with(Arguments& arguments, const CallSite& site, std::string_view name) {
  if (arguments.size() != 2) return failure(fmt::format("{} takes two strings", name));
  auto text = string_of(arguments[0]);
  auto other = string_of(arguments[1]);
  if (!text || !other) return failure(fmt::format("{} needs strings", name));
  std::string result = *text;
  if (name == "trimprefix") {
    if (result.rfind(*other, 0) == 0) result.erase(0, other->size());
  } else if (name == "trimsuffix") {
    if (result.size() >= other->size() && result.compare(result.size() - other->size(), other->size(), *other) == 0)
      result.erase(result.size() - other->size());
  } else {
    size_t begin = result.find_first_not_of(*other);
    if (begin == std::string::npos) return string_result("", site);
    size_t end = result.find_last_not_of(*other);
    result = result.substr(begin, end - begin + 1);
  }
  return string_result(std::move(result), site);
}
FunctionResult trim(Arguments& arguments, const CallSite& site) { return trim_with(arguments, site, "trim"); }
FunctionResult trimprefix(Arguments& arguments, const CallSite& site) { return trim_with(arguments, site, "trimprefix"); }
FunctionResult trimsuffix(Arguments& arguments, const CallSite& site) { return trim_with(arguments, site, "trimsuffix"); }

FunctionResult tostring(Arguments& arguments, const CallSite&) {
  if (arguments.size() != 1) return failure("tostring takes one value");
  Node& value = arguments[0];
  if (value.kind == NodeKind::Null || value.kind == NodeKind::String) return passed(std::move(value));
  auto text = string_of(value);
  if (!text) return failure(fmt::format("tostring cannot convert a {} to a string", kind_name(value)));
  Node result = std::move(value);
  result.kind = NodeKind::String;
  result.text = *text;
  return passed(std::move(result));
}

FunctionResult tonumber(Arguments& arguments, const CallSite&) {
  if (arguments.size() != 1) return failure("tonumber takes one value");
  Node& value = arguments[0];
  if (value.kind == NodeKind::Null || value.kind == NodeKind::Number) return passed(std::move(value));
  auto number = value.kind == NodeKind::String ? value.as_number() : std::nullopt;
  if (!number) return failure(fmt::format("tonumber cannot convert {} to a number", value.describe()));
  Node result = std::move(value);
  result.kind = NodeKind::Number;
  result.number = *number;
  result.text = format_number(*number);
  return passed(std::move(result));
}

FunctionResult tobool(Arguments& arguments, const CallSite&) {
  if (arguments.size() != 1) return failure("tobool takes one value");
  Node& value = arguments[0];
  if (value.kind == NodeKind::Null || value.kind == NodeKind::Boolean) return passed(std::move(value));
  auto flag = boolean_of(value);
  if (!flag) return failure(fmt::format("tobool cannot convert {} to a bool", value.describe()));
  Node result = std::move(value);
  result.kind = NodeKind::Boolean;
  result.boolean = *flag;
  result.text.clear();
  return passed(std::move(result));
}

FunctionResult tolist(Arguments& arguments, const CallSite&) {
  if (arguments.size() != 1) return failure("tolist takes one value");
  if (arguments[0].kind != NodeKind::List && arguments[0].kind != NodeKind::Null)
    return failure(fmt::format("tolist cannot convert a {} to a list", kind_name(arguments[0])));
  return passed(std::move(arguments[0]));
}

FunctionResult tomap(Arguments& arguments, const CallSite&) {
  if (arguments.size() != 1) return failure("tomap takes one value");
  if (arguments[0].kind != NodeKind::Map && arguments[0].kind != NodeKind::Null)
    return failure(fmt::format("tomap cannot convert a {} to a map", kind_name(arguments[0])));
  return passed(std::move(arguments[0]));
}

FunctionResult distinct_items(Node& list, const CallSite& site, bool sort) {
  if (has_unknown_item(list)) return unknown(site);
  std::vector<Node> items;
  for (Node& item : list.children) {
    bool seen = std::any_of(items.begin(), items.end(), [&](const Node& kept) { return same_value(kept, item); });
    if (!seen) items.push_back(std::move(item));
    if (items.size() > 10'000) return failure("the list is too long to remove duplicates from");
  }
  if (sort) {
    // Terraform iterates sets of strings in lexical order.
    bool all_strings = std::all_of(items.begin(), items.end(), [](const Node& item) { return item.kind == NodeKind::String; });
    if (all_strings)
      std::stable_sort(items.begin(), items.end(), [](const Node& a, const Node& b) { return a.text < b.text; });
  }
  Node result = std::move(list);
  result.children = std::move(items);
  return passed(std::move(result));
}

FunctionResult toset(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1 || arguments[0].kind != NodeKind::List) return failure("toset takes one list");
  return distinct_items(arguments[0], site, true);
}

FunctionResult distinct(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1 || arguments[0].kind != NodeKind::List) return failure("distinct takes one list");
  return distinct_items(arguments[0], site, false);
}

FunctionResult length(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1) return failure("length takes one value");
  const Node& value = arguments[0];
  if (is_collection(value)) return number_result(static_cast<double>(value.children.size()), site);
  if (value.kind == NodeKind::String) return number_result(static_cast<double>(utf8_length(value.text)), site);
  return failure(fmt::format("length needs a collection or a string, not a {}", kind_name(value)));
}

FunctionResult element(Arguments& arguments, const CallSite&) {
  if (arguments.size() != 2 || arguments[0].kind != NodeKind::List) return failure("element takes a list and an index");
  auto index = integer_of(arguments[1]);
  if (!index || *index < 0) return failure("element needs a whole, non-negative index");
  std::vector<Node>& items = arguments[0].children;
  if (items.empty()) return failure("element: the list is empty");
  return passed(std::move(items[static_cast<size_t>(*index) % items.size()]));
}

FunctionResult keys(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1 || arguments[0].kind != NodeKind::Map) return failure("keys takes one map");
  std::vector<Node> items;
  for (const Node* member : sorted_members(arguments[0])) {
    Node key = made(NodeKind::String, site);
    key.text = member->key;
    if (!member->key_span.empty()) key.span = member->key_span;
    if (member->file) key.file = member->file;
    items.push_back(std::move(key));
  }
  return list_result(std::move(items), site);
}

FunctionResult values(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1 || arguments[0].kind != NodeKind::Map) return failure("values takes one map");
  std::vector<Node> items;
  for (const Node* member : sorted_members(arguments[0])) items.push_back(*member);
  return list_result(std::move(items), site);
}

FunctionResult zipmap(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 2 || arguments[0].kind != NodeKind::List || arguments[1].kind != NodeKind::List)
    return failure("zipmap takes a list of keys and a list of values");
  if (arguments[0].children.size() != arguments[1].children.size())
    return failure("zipmap: the lists of keys and values differ in length");
  if (has_unknown_item(arguments[0])) return unknown(site);
  Node result = made(NodeKind::Map, site);
  for (size_t i = 0; i < arguments[0].children.size(); ++i) {
    auto key = string_of(arguments[0].children[i]);
    if (!key) return failure("zipmap needs string keys");
    Node value = std::move(arguments[1].children[i]);
    place_under_key(value, *key, arguments[0].children[i].span, arguments[0].children[i].file);
    result.children.push_back(std::move(value));
  }
  return passed(std::move(result));
}

FunctionResult compact(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1 || arguments[0].kind != NodeKind::List) return failure("compact takes one list");
  if (has_unknown_item(arguments[0])) return unknown(site);
  Node result = std::move(arguments[0]);
  std::vector<Node> kept;
  for (Node& item : result.children)
    if (!(item.kind == NodeKind::Null || (item.kind == NodeKind::String && item.text.empty()))) kept.push_back(std::move(item));
  result.children = std::move(kept);
  return passed(std::move(result));
}

// Numbers from arguments, a list argument expanded (max(var.list...) reaches here expanded).
bool numbers_of(Arguments& arguments, std::vector<double>& numbers) {
  for (const Node& argument : arguments) {
    auto number = number_of(argument);
    if (!number) return false;
    numbers.push_back(*number);
  }
  return !numbers.empty();
}

FunctionResult max(Arguments& arguments, const CallSite& site) {
  std::vector<double> numbers;
  if (!numbers_of(arguments, numbers)) return failure("max needs numbers");
  return number_result(*std::max_element(numbers.begin(), numbers.end()), site);
}
FunctionResult min(Arguments& arguments, const CallSite& site) {
  std::vector<double> numbers;
  if (!numbers_of(arguments, numbers)) return failure("min needs numbers");
  return number_result(*std::min_element(numbers.begin(), numbers.end()), site);
}
FunctionResult sum(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1 || arguments[0].kind != NodeKind::List) return failure("sum takes one list of numbers");
  if (has_unknown_item(arguments[0])) return unknown(site);
  double total = 0;
  for (const Node& item : arguments[0].children) {
    auto number = number_of(item);
    if (!number) return failure("sum needs numbers");
    total += *number;
  }
  return number_result(total, site);
}
template <double (*Operation)(double)>
FunctionResult number_change(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1) return failure("the function takes one number");
  auto number = number_of(arguments[0]);
  if (!number) return failure("the function needs a number");
  return number_result(Operation(*number), site);
}
double absolute(double value) { return std::fabs(value); }
double ceiling(double value) { return std::ceil(value); }
double floored(double value) { return std::floor(value); }

FunctionResult parseint(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 2) return failure("parseint takes a string and a base");
  auto text = string_of(arguments[0]);
  auto base = integer_of(arguments[1]);
  if (!text || !base || *base < 2 || *base > 62) return failure("parseint needs a string and a base from 2 to 62");
  errno = 0;
  char* end = nullptr;
  long long value = std::strtoll(text->c_str(), &end, static_cast<int>(*base));
  if (errno != 0 || end == text->c_str() || *end != '\0') return failure(fmt::format("parseint: cannot read \"{}\"", *text));
  return number_result(static_cast<double>(value), site);
}

FunctionResult substr(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 3) return failure("substr takes a string, an offset and a length");
  auto text = string_of(arguments[0]);
  auto offset = integer_of(arguments[1]);
  auto count = integer_of(arguments[2]);
  if (!text || !offset || !count) return failure("substr needs a string and two whole numbers");
  int64_t characters = static_cast<int64_t>(utf8_length(*text));
  int64_t begin = *offset < 0 ? characters + *offset : *offset;
  if (begin < 0 || begin > characters) return failure("substr: the offset is outside the string");
  int64_t end = *count < 0 ? characters : std::min(characters, begin + *count);
  size_t begin_byte = utf8_offset(*text, static_cast<size_t>(begin));
  size_t end_byte = utf8_offset(*text, static_cast<size_t>(end));
  return string_result(text->substr(begin_byte, end_byte - begin_byte), site);
}

FunctionResult contains_function(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 2 || arguments[0].kind != NodeKind::List) return failure("contains takes a list and a value");
  if (arguments[1].kind == NodeKind::Unknown) return unknown(site);
  for (const Node& item : arguments[0].children)
    if (same_value(item, arguments[1])) return boolean_result(true, site);
  if (has_unknown_item(arguments[0])) return unknown(site);
  return boolean_result(false, site);
}

FunctionResult affix(Arguments& arguments, const CallSite& site, bool prefix) {
  if (arguments.size() != 2) return failure("the function takes two strings");
  auto text = string_of(arguments[0]);
  auto part = string_of(arguments[1]);
  if (!text || !part) return failure("the function needs strings");
  bool result = text->size() >= part->size() &&
                (prefix ? text->compare(0, part->size(), *part) == 0
                        : text->compare(text->size() - part->size(), part->size(), *part) == 0);
  return boolean_result(result, site);
}
FunctionResult startswith(Arguments& arguments, const CallSite& site) { return affix(arguments, site, true); }
FunctionResult endswith(Arguments& arguments, const CallSite& site) { return affix(arguments, site, false); }

FunctionResult strcontains(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 2) return failure("strcontains takes two strings");
  auto text = string_of(arguments[0]);
  auto part = string_of(arguments[1]);
  if (!text || !part) return failure("strcontains needs strings");
  return boolean_result(text->find(*part) != std::string::npos, site);
}

constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

FunctionResult base64encode(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1) return failure("base64encode takes one string");
  auto text = string_of(arguments[0]);
  if (!text) return failure("base64encode needs a string");
  std::string out;
  size_t i = 0;
  for (; i + 2 < text->size(); i += 3) {
    uint32_t chunk = (static_cast<unsigned char>((*text)[i]) << 16) | (static_cast<unsigned char>((*text)[i + 1]) << 8) |
                     static_cast<unsigned char>((*text)[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kBase64[(chunk >> shift) & 63];
  }
  if (size_t rest = text->size() - i; rest > 0) {
    uint32_t chunk = static_cast<unsigned char>((*text)[i]) << 16;
    if (rest == 2) chunk |= static_cast<unsigned char>((*text)[i + 1]) << 8;
    out += kBase64[(chunk >> 18) & 63];
    out += kBase64[(chunk >> 12) & 63];
    out += rest == 2 ? kBase64[(chunk >> 6) & 63] : '=';
    out += '=';
  }
  return string_result(std::move(out), site);
}

FunctionResult base64decode(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1) return failure("base64decode takes one string");
  auto text = string_of(arguments[0]);
  if (!text) return failure("base64decode needs a string");
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : *text) {
    if (c == '=') break;
    size_t value = kBase64.find(c);
    if (value == std::string_view::npos) return failure("base64decode: the string is not base64");
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return string_result(std::move(out), site);
}

FunctionResult range(Arguments& arguments, const CallSite& site) {
  std::vector<double> numbers;
  if (arguments.empty() || arguments.size() > 3 || !numbers_of(arguments, numbers)) return failure("range takes one to three numbers");
  double start = numbers.size() == 1 ? 0 : numbers[0];
  double end = numbers.size() == 1 ? numbers[0] : numbers[1];
  double step = numbers.size() == 3 ? numbers[2] : (start <= end ? 1 : -1);
  if (step == 0 || !std::isfinite(step)) return failure("range: the step must not be zero");
  double count = std::ceil((end - start) / step);
  if (count > static_cast<double>(kMaxCollectionItems))
    return failure(fmt::format("range would make {} numbers, more than the {} shiftlint evaluates", count, kMaxCollectionItems));
  std::vector<Node> items;
  for (double value = start; step > 0 ? value < end : value > end; value += step)
    items.push_back(number_result(value, site).value);
  return list_result(std::move(items), site);
}

FunctionResult sort(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1 || arguments[0].kind != NodeKind::List) return failure("sort takes one list of strings");
  if (has_unknown_item(arguments[0])) return unknown(site);
  Node result = std::move(arguments[0]);
  for (Node& item : result.children) {
    auto text = string_of(item);
    if (!text) return failure("sort needs strings");
    item.text = *text;
  }
  std::stable_sort(result.children.begin(), result.children.end(), [](const Node& a, const Node& b) { return a.text < b.text; });
  return passed(std::move(result));
}

FunctionResult reverse(Arguments& arguments, const CallSite&) {
  if (arguments.size() != 1 || arguments[0].kind != NodeKind::List) return failure("reverse takes one list");
  Node result = std::move(arguments[0]);
  std::reverse(result.children.begin(), result.children.end());
  return passed(std::move(result));
}

FunctionResult index_function(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 2 || arguments[0].kind != NodeKind::List) return failure("index takes a list and a value");
  if (has_unknown_item(arguments[0])) return unknown(site);
  for (size_t i = 0; i < arguments[0].children.size(); ++i)
    if (same_value(arguments[0].children[i], arguments[1])) return number_result(static_cast<double>(i), site);
  return failure("index: the value is not in the list");
}

FunctionResult slice(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 3 || arguments[0].kind != NodeKind::List) return failure("slice takes a list and two indexes");
  auto begin = integer_of(arguments[1]);
  auto end = integer_of(arguments[2]);
  auto size = static_cast<int64_t>(arguments[0].children.size());
  if (!begin || !end || *begin < 0 || *end > size || *begin > *end) return failure("slice: the indexes are out of range");
  std::vector<Node> items(std::make_move_iterator(arguments[0].children.begin() + *begin),
                          std::make_move_iterator(arguments[0].children.begin() + *end));
  return list_result(std::move(items), site);
}

FunctionResult one(Arguments& arguments, const CallSite& site) {
  if (arguments.size() != 1 || arguments[0].kind != NodeKind::List) return failure("one takes one list");
  if (arguments[0].children.empty()) return passed(made(NodeKind::Null, site));
  if (arguments[0].children.size() > 1) return failure("one: the list has more than one element");
  return passed(std::move(arguments[0].children[0]));
}

FunctionResult all_or_any(Arguments& arguments, const CallSite& site, bool all) {
  if (arguments.size() != 1 || arguments[0].kind != NodeKind::List) return failure("the function takes one list of bools");
  bool unknown_item = false;
  for (const Node& item : arguments[0].children) {
    if (item.kind == NodeKind::Unknown) {
      unknown_item = true;
      continue;
    }
    auto flag = boolean_of(item);
    if (!flag) return failure("the function needs bools");
    if (all && !*flag) return boolean_result(false, site);
    if (!all && *flag) return boolean_result(true, site);
  }
  if (unknown_item) return unknown(site);
  return boolean_result(all, site);
}
FunctionResult alltrue(Arguments& arguments, const CallSite& site) { return all_or_any(arguments, site, true); }
FunctionResult anytrue(Arguments& arguments, const CallSite& site) { return all_or_any(arguments, site, false); }

FunctionResult path_part(Arguments& arguments, const CallSite& site, bool base) {
  if (arguments.size() != 1) return failure("the function takes one path");
  auto path = string_of(arguments[0]);
  if (!path) return failure("the function needs a string");
  std::string text = *path;
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  size_t slash = text.find_last_of('/');
  if (base) return string_result(slash == std::string::npos ? text : text.substr(slash + 1), site);
  if (slash == std::string::npos) return string_result(".", site);
  return string_result(slash == 0 ? "/" : text.substr(0, slash), site);
}
FunctionResult basename(Arguments& arguments, const CallSite& site) { return path_part(arguments, site, true); }
FunctionResult dirname(Arguments& arguments, const CallSite& site) { return path_part(arguments, site, false); }

FunctionResult strrev(Arguments& arguments, const CallSite& site) {
  return string_change(arguments, site, "strrev", [](std::string text) {
    std::reverse(text.begin(), text.end());
    return text;
  });
}

FunctionResult pass_through(Arguments& arguments, const CallSite&) {
  if (arguments.size() != 1) return failure("the function takes one value");
  return passed(std::move(arguments[0]));
}

const std::unordered_map<std::string_view, Function>& functions() {
  static const std::unordered_map<std::string_view, Function> table{
      {"jsonencode", jsonencode}, {"jsondecode", jsondecode}, {"merge", merge}, {"concat", concat},
      {"flatten", flatten}, {"lookup", lookup}, {"coalesce", coalesce}, {"coalescelist", coalescelist},
      {"format", format}, {"formatlist", formatlist}, {"join", join}, {"split", split}, {"replace", replace},
      {"lower", lower}, {"upper", upper}, {"title", title}, {"trimspace", trimspace}, {"chomp", chomp},
      {"trim", trim}, {"trimprefix", trimprefix}, {"trimsuffix", trimsuffix}, {"tostring", tostring},
      {"tonumber", tonumber}, {"tobool", tobool}, {"tolist", tolist}, {"tomap", tomap}, {"toset", toset},
      {"length", length}, {"element", element}, {"keys", keys}, {"values", values}, {"zipmap", zipmap},
      {"compact", compact}, {"distinct", distinct}, {"max", max}, {"min", min}, {"sum", sum},
      {"abs", number_change<absolute>}, {"ceil", number_change<ceiling>}, {"floor", number_change<floored>},
      {"parseint", parseint}, {"substr", substr}, {"contains", contains_function}, {"startswith", startswith},
      {"endswith", endswith}, {"strcontains", strcontains}, {"base64encode", base64encode},
      {"base64decode", base64decode}, {"range", range}, {"sort", sort}, {"reverse", reverse},
      {"index", index_function}, {"slice", slice}, {"one", one}, {"alltrue", alltrue}, {"anytrue", anytrue},
      {"basename", basename}, {"dirname", dirname}, {"strrev", strrev}, {"sensitive", pass_through},
      {"nonsensitive", pass_through}, {"regex", regex}, {"regexall", regexall},
  };
  return table;
}

// Functions that decide for themselves what an unknown argument means; every other function is
// unknown as soon as one argument is (unknown items inside a collection are each function's call).
bool decides_on_unknown_arguments(std::string_view name) {
  return name == "jsonencode" || name == "jsondecode" || name == "coalesce" || name == "coalescelist" ||
         name == "lookup" || name == "contains";
}

}  // namespace

std::string format_number(double number) {
  if (std::isfinite(number) && std::floor(number) == number && std::fabs(number) < 1e15)
    return std::to_string(static_cast<int64_t>(number));
  return fmt::format("{}", number);
}

std::optional<std::string> string_of(const Node& value) {
  switch (value.kind) {
    case NodeKind::String: return value.text;
    case NodeKind::Number: return format_number(value.number);  // 1.50 as written is "1.5" in a string
    case NodeKind::Boolean: return std::string(value.boolean ? "true" : "false");
    default: return std::nullopt;
  }
}

bool is_uncomputed_function(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "uuid", "uuidv5", "timestamp", "plantimestamp", "timeadd", "timecmp", "formatdate", "bcrypt", "rsadecrypt",
      "md5", "sha1", "sha256", "sha512", "base64sha256", "base64sha512", "filemd5", "filesha1", "filesha256",
      "filesha512", "filebase64sha256", "filebase64sha512", "cidrhost", "cidrnetmask", "cidrsubnet", "cidrsubnets",
      "textencodebase64", "textdecodebase64", "ephemeralasnull", "issensitive"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

std::optional<FunctionResult> call_function(std::string_view name, std::vector<Node>& arguments, const CallSite& site) {
  const auto& table = functions();
  auto found = table.find(name);
  if (found == table.end()) return std::nullopt;
  if (!decides_on_unknown_arguments(name)) {
    for (const Node& argument : arguments)
      if (argument.kind == NodeKind::Unknown) return unknown(site);
  }
  return found->second(arguments, site);
}

}  // namespace shiftlint::terraform
