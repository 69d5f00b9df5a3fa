#pragma once
// Reading TOML 1.0 into template values for Helm's fromToml (BurntSushi/toml's Unmarshal into a
// map): tables are maps, arrays lists, integers int64, floats float64, date-times times.
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/model/helm/go_time.h"
#include "analyzer/model/helm/value.h"

namespace shiftlint::helm {

// How a date-time becomes a value (the template engine's time.Time). Local date-times, dates and
// times have no offset: they are read as UTC.
using MakeTime = Value (*)(GoTime time);

// The document as a map, or nullopt and a message ("toml: line 3: ...").
std::optional<Value> parse_toml(std::string_view text, MakeTime make_time, std::string& error);

}  // namespace shiftlint::helm
