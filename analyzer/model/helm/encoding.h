#pragma once
// Serialising template values the way Helm's functions do: toYaml (JSON first, then go-yaml v2's
// block style: sorted keys, unindented lists under keys, quoting of strings YAML 1.1 would read as
// something else), toJson (Go's encoding/json, HTML-escaped unless raw), and reading them back.
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "analyzer/model/helm/executor.h"
#include "analyzer/model/helm/value.h"

namespace shiftlint::helm {

// Helm's toYaml, without the trailing newline Helm trims.
std::string to_yaml(const Value& value);
// The same text with each scalar mapped to the values node it came from, and each key and list
// dash to the map or list holding it. The segments have no template position yet: the action that
// prints them supplies it.
// Values fromYaml placed at template lines (`placed`) are printed at those lines instead.
RenderedText to_yaml_rendered(const Value& value, const PlacedValues* placed = nullptr);
// Helm's toYamlPretty (go-yaml v3, indent 2, on the values themselves): a list under a key is
// indented, floats print as Go prints them, keys sort with digit runs by value.
std::string to_yaml_pretty(const Value& value);
// Go's json.Marshal (escape_html) or MarshalIndent with two spaces (pretty).
std::string to_json(const Value& value, bool escape_html, bool pretty);

// Helm's toToml (BurntSushi/toml's encoder): tables as [name] sections indented two spaces per
// level, keys sorted with plain values before tables, floats always with a point; what the
// encoder refuses (a nil in a list, a list of tables at the top) is its error text.
std::string to_toml(const Value& value);
// fromYaml / fromJson: nullopt and a message when the text does not parse.
std::optional<Value> parse_yaml_value(std::string_view text, std::string& error);
// fromYaml on text whose bytes know their template lines (an include's output): the values
// point at nodes placed at those lines (PlacedValues), kept in `placed`.
std::optional<Value> parse_placed_yaml_value(std::string_view text, const RenderedText& rendering,
                                             PlacedValues& placed, std::string& error);
std::optional<Value> parse_json_value(std::string_view text, std::string& error);

std::string base64_encode(std::string_view data);
std::optional<std::string> base64_decode(std::string_view text);
std::string base32_encode(std::string_view data);
// Go's base32.StdEncoding.DecodeString: the bytes, or the offset Go's "illegal base32 data at
// input byte N" names.
std::variant<std::string, size_t> base32_decode(std::string_view text);
std::string sha256_hex(std::string_view data);
std::string sha1_hex(std::string_view data);
std::string sha512_hex(std::string_view data);
uint32_t adler32(std::string_view data);

}  // namespace shiftlint::helm
