// Go's time formatting and parsing for Sprig's date functions. Layouts are Go's: each element of
// the reference time (Mon Jan 2 15:04:05 MST 2006) stands for that part of the date, and the rest
// of the layout is copied (Format) or must match (Parse). Everything is UTC (see go_time.h).
#include "analyzer/model/helm/go_time.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

namespace shiftlint::helm {

namespace {

constexpr int64_t kNanosecond = 1;
constexpr int64_t kMicrosecond = 1000 * kNanosecond;
constexpr int64_t kMillisecond = 1000 * kMicrosecond;
constexpr int64_t kSecond = 1000 * kMillisecond;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kSecondsPerDay = 86400;

constexpr std::array<std::string_view, 12> kLongMonths = {"January", "February", "March",     "April",   "May",      "June",
                                                          "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 12> kShortMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kLongDays = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 7> kShortDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

// Days from 1970-01-01 to a proleptic Gregorian date (any year, negative included).
int64_t days_from_civil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2;
  int64_t era = (year >= 0 ? year : year - 399) / 400;
  int64_t year_of_era = year - era * 400;
  int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

bool is_leap(int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int days_in_month(int month, int64_t year) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Which element of the reference time a piece of layout is (Go's std* constants).
enum class Element {
  None, LongMonth, Month, NumMonth, ZeroMonth, LongWeekDay, WeekDay, Day, UnderDay, ZeroDay, UnderYearDay,
  ZeroYearDay, Hour, Hour12, ZeroHour12, Minute, ZeroMinute, Second, ZeroSecond, LongYear, Year, PM, LowerPM,
  Zone, IsoZone, IsoSecondsZone, IsoShortZone, IsoColonZone, IsoColonSecondsZone, NumZone, NumSecondsZone,
  NumShortZone, NumColonZone, NumColonSecondsZone, FracSecond0, FracSecond9,
};

struct LayoutPiece {
  std::string_view literal;  // copied or matched before the element
  Element element = Element::None;
  std::string_view element_text;  // the element as written in the layout
  std::string_view rest;
  int digits = 0;        // fractional seconds
  char separator = '.';  // fractional seconds: '.' or ','
};

bool starts_lower(std::string_view text) { return !text.empty() && text[0] >= 'a' && text[0] <= 'z'; }
bool digit_at(std::string_view text, size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; }

// Go's nextStdChunk: the literal text up to the first element of the layout, and that element.
LayoutPiece next_piece(std::string_view layout) {
  auto piece = [&](size_t at, Element element, size_t length) {
    return LayoutPiece{layout.substr(0, at), element, layout.substr(at, length), layout.substr(at + length)};
  };
  for (size_t i = 0; i < layout.size(); ++i) {
    std::string_view here = layout.substr(i);
    switch (layout[i]) {
      case 'J':
        if (here.starts_with("Jan")) {
          if (here.starts_with("January")) return piece(i, Element::LongMonth, 7);
          if (!starts_lower(here.substr(3))) return piece(i, Element::Month, 3);
        }
        break;
      case 'M':
        if (here.starts_with("Mon")) {
          if (here.starts_with("Monday")) return piece(i, Element::LongWeekDay, 6);
          if (!starts_lower(here.substr(3))) return piece(i, Element::WeekDay, 3);
        }
        if (here.starts_with("MST")) return piece(i, Element::Zone, 3);
        break;
      case '0':
        if (here.size() >= 2 && here[1] >= '1' && here[1] <= '6') {
          static constexpr Element kZero[] = {Element::ZeroMonth,  Element::ZeroDay,    Element::ZeroHour12,
                                              Element::ZeroMinute, Element::ZeroSecond, Element::Year};
          return piece(i, kZero[here[1] - '1'], 2);
        }
        if (here.starts_with("002")) return piece(i, Element::ZeroYearDay, 3);
        break;
      case '1':
        if (here.starts_with("15")) return piece(i, Element::Hour, 2);
        return piece(i, Element::NumMonth, 1);
      case '2':
        if (here.starts_with("2006")) return piece(i, Element::LongYear, 4);
        return piece(i, Element::Day, 1);
      case '_':
        if (here.size() >= 2 && here[1] == '2') {
          // "_2006" is a literal underscore before the year.
          if (here.substr(1).starts_with("2006")) return piece(i + 1, Element::LongYear, 4);
          return piece(i, Element::UnderDay, 2);
        }
        if (here.starts_with("__2")) return piece(i, Element::UnderYearDay, 3);
        break;
      case '3': return piece(i, Element::Hour12, 1);
      case '4': return piece(i, Element::Minute, 1);
      case '5': return piece(i, Element::Second, 1);
      case 'P':
        if (here.starts_with("PM")) return piece(i, Element::PM, 2);
        break;
      case 'p':
        if (here.starts_with("pm")) return piece(i, Element::LowerPM, 2);
        break;
      case '-':
        if (here.starts_with("-070000")) return piece(i, Element::NumSecondsZone, 7);
        if (here.starts_with("-07:00:00")) return piece(i, Element::NumColonSecondsZone, 9);
        if (here.starts_with("-0700")) return piece(i, Element::NumZone, 5);
        if (here.starts_with("-07:00")) return piece(i, Element::NumColonZone, 6);
        if (here.starts_with("-07")) return piece(i, Element::NumShortZone, 3);
        break;
      case 'Z':
        if (here.starts_with("Z070000")) return piece(i, Element::IsoSecondsZone, 7);
        if (here.starts_with("Z07:00:00")) return piece(i, Element::IsoColonSecondsZone, 9);
        if (here.starts_with("Z0700")) return piece(i, Element::IsoZone, 5);
        if (here.starts_with("Z07:00")) return piece(i, Element::IsoColonZone, 6);
        if (here.starts_with("Z07")) return piece(i, Element::IsoShortZone, 3);
        break;
      case '.':
      case ',':
        // ".000" or ".999" (or with a comma) is a fractional second when no digit follows it.
        if (here.size() >= 2 && (here[1] == '0' || here[1] == '9')) {
          char repeated = here[1];
          size_t end = 1;
          while (end < here.size() && here[end] == repeated) ++end;
          if (!digit_at(here, end)) {
            LayoutPiece fraction = piece(i, repeated == '0' ? Element::FracSecond0 : Element::FracSecond9, end);
            fraction.digits = static_cast<int>(end - 1);
            fraction.separator = here[0];
            return fraction;
          }
        }
        break;
      default: break;
    }
  }
  return {layout, Element::None, {}, {}};
}

void append_padded(std::string& out, int64_t value, int width, char pad = '0') {
  std::string digits = std::to_string(value < 0 ? -value : value);
  if (value < 0) out += '-';
  if (static_cast<int>(digits.size()) < width) out.append(width - digits.size(), pad);
  out += digits;
}

}  // namespace

CivilTime civil_of(const GoTime& time) {
  int64_t days = floor_div(time.seconds, kSecondsPerDay);
  int64_t second_of_day = time.seconds - days * kSecondsPerDay;
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t day_of_era = z - era * 146097;
  int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int64_t shifted_month = (5 * day_of_year + 2) / 153;
  CivilTime civil{};
  civil.day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  civil.month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  civil.year = year_of_era + era * 400 + (civil.month <= 2);
  civil.hour = static_cast<int>(second_of_day / 3600);
  civil.minute = static_cast<int>(second_of_day / 60 % 60);
  civil.second = static_cast<int>(second_of_day % 60);
  civil.year_day = static_cast<int>(days - days_from_civil(civil.year, 1, 1) + 1);
  civil.weekday = static_cast<int>(((days % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
  return civil;
}

GoTime time_of(int64_t year, int64_t month, int64_t day, int64_t hour, int64_t minute, int64_t second,
               int64_t nanosecond) {
  // Months carry into years; everything below a month is a count of seconds from the month's start.
  int64_t month_index = month - 1;
  year += floor_div(month_index, 12);
  month_index -= floor_div(month_index, 12) * 12;
  int64_t days = days_from_civil(year, month_index + 1, 1) + day - 1;
  int64_t seconds = days * kSecondsPerDay + hour * 3600 + minute * 60 + second + floor_div(nanosecond, kSecond);
  return {seconds, static_cast<int32_t>(nanosecond - floor_div(nanosecond, kSecond) * kSecond)};
}

GoTime add_duration(const GoTime& time, int64_t nanoseconds) {
  int64_t seconds = time.seconds + nanoseconds / kSecond;
  int64_t rest = time.nanoseconds + nanoseconds % kSecond;
  if (rest < 0) rest += kSecond, --seconds;
  if (rest >= kSecond) rest -= kSecond, ++seconds;
  return {seconds, static_cast<int32_t>(rest)};
}

int64_t nanoseconds_between(const GoTime& from, const GoTime& to) {
  __int128 difference = (static_cast<__int128>(to.seconds) - from.seconds) * kSecond + (to.nanoseconds - from.nanoseconds);
  if (difference > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (difference < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(difference);
}

std::string format_time(const GoTime& time, std::string_view layout) {
  CivilTime civil = civil_of(time);
  std::string out;
  while (!layout.empty()) {
    LayoutPiece piece = next_piece(layout);
    out += piece.literal;
    if (piece.element == Element::None) break;
    layout = piece.rest;
    int hour12 = civil.hour % 12 == 0 ? 12 : civil.hour % 12;
    switch (piece.element) {
      case Element::None: break;
      case Element::LongYear: append_padded(out, civil.year, 4); break;
      case Element::Year: append_padded(out, (civil.year % 100 + 100) % 100, 2); break;
      case Element::LongMonth: out += kLongMonths[civil.month - 1]; break;
      case Element::Month: out += kShortMonths[civil.month - 1]; break;
      case Element::NumMonth: append_padded(out, civil.month, 0); break;
      case Element::ZeroMonth: append_padded(out, civil.month, 2); break;
      case Element::LongWeekDay: out += kLongDays[civil.weekday]; break;
      case Element::WeekDay: out += kShortDays[civil.weekday]; break;
      case Element::Day: append_padded(out, civil.day, 0); break;
      case Element::UnderDay: append_padded(out, civil.day, 2, ' '); break;
      case Element::ZeroDay: append_padded(out, civil.day, 2); break;
      case Element::UnderYearDay: append_padded(out, civil.year_day, 3, ' '); break;
      case Element::ZeroYearDay: append_padded(out, civil.year_day, 3); break;
      case Element::Hour: append_padded(out, civil.hour, 2); break;
      case Element::Hour12: append_padded(out, hour12, 0); break;
      case Element::ZeroHour12: append_padded(out, hour12, 2); break;
      case Element::Minute: append_padded(out, civil.minute, 0); break;
      case Element::ZeroMinute: append_padded(out, civil.minute, 2); break;
      case Element::Second: append_padded(out, civil.second, 0); break;
      case Element::ZeroSecond: append_padded(out, civil.second, 2); break;
      case Element::PM: out += civil.hour >= 12 ? "PM" : "AM"; break;
      case Element::LowerPM: out += civil.hour >= 12 ? "pm" : "am"; break;
      // UTC: the ISO 8601 forms write Z, the numeric ones a zero offset.
      case Element::IsoZone:
      case Element::IsoSecondsZone:
      case Element::IsoShortZone:
      case Element::IsoColonZone:
      case Element::IsoColonSecondsZone: out += 'Z'; break;
      case Element::NumZone: out += "+0000"; break;
      case Element::NumSecondsZone: out += "+000000"; break;
      case Element::NumShortZone: out += "+00"; break;
      case Element::NumColonZone: out += "+00:00"; break;
      case Element::NumColonSecondsZone: out += "+00:00:00"; break;
      case Element::Zone: out += "UTC"; break;
      case Element::FracSecond0:
      case Element::FracSecond9: {
        std::string nanos = fmt::format("{:09d}", time.nanoseconds).substr(0, std::min(piece.digits, 9));
        if (piece.element == Element::FracSecond9) {
          while (!nanos.empty() && nanos.back() == '0') nanos.pop_back();
          if (nanos.empty()) break;
        }
        out += piece.separator;
        out += nanos;
        break;
      }
    }
  }
  return out;
}

std::string time_string(const GoTime& time) { return format_time(time, "2006-01-02 15:04:05.999999999 -0700 MST"); }

namespace {

std::string go_quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Go's getnum: one or two digits (exactly two when `fixed`); getnum3 the same with three.
std::optional<int> take_number(std::string_view& value, size_t most, bool fixed) {
  if (!digit_at(value, 0)) return std::nullopt;
  int number = 0;
  size_t count = 0;
  while (count < most && digit_at(value, count)) number = number * 10 + (value[count++] - '0');
  if (fixed && count != most) return std::nullopt;
  value.remove_prefix(count);
  return number;
}

// Go's lookup: a name at the start of `value`, ASCII case ignored.
std::optional<int> take_name(std::string_view& value, const auto& names) {
  for (size_t i = 0; i < names.size(); ++i) {
    std::string_view name = names[i];
    if (value.size() < name.size()) continue;
    bool same = true;
    for (size_t k = 0; k < name.size() && same; ++k) same = std::tolower(static_cast<unsigned char>(value[k])) ==
                                                             std::tolower(static_cast<unsigned char>(name[k]));
    if (same) {
      value.remove_prefix(name.size());
      return static_cast<int>(i);
    }
  }
  return std::nullopt;
}

// Fractional seconds: a '.' or ',' and `count - 1` digits (Go's parseNanoseconds).
std::optional<int> take_fraction(std::string_view& value, size_t count) {
  if (value.empty() || (value[0] != '.' && value[0] != ',')) return std::nullopt;
  size_t used = std::min<size_t>(count, 10);
  int nanos = 0;
  for (size_t i = 1; i < used; ++i) {
    if (!digit_at(value, i)) return std::nullopt;
    nanos = nanos * 10 + (value[i] - '0');
  }
  for (size_t i = used; i < 10; ++i) nanos *= 10;
  value.remove_prefix(count);
  return nanos;
}

// Go's skip: the layout's literal text; a space in it matches any run of spaces.
bool skip_literal(std::string_view& value, std::string_view literal) {
  while (!literal.empty()) {
    if (literal[0] == ' ') {
      if (!value.empty() && value[0] != ' ') return false;
      while (!literal.empty() && literal[0] == ' ') literal.remove_prefix(1);
      while (!value.empty() && value[0] == ' ') value.remove_prefix(1);
      continue;
    }
    if (value.empty() || value[0] != literal[0]) return false;
    value.remove_prefix(1);
    literal.remove_prefix(1);
  }
  return true;
}

// A zone abbreviation ("UTC", "MST", "CEST", "GMT"): its length, 0 when it is none.
size_t zone_name_length(std::string_view value) {
  size_t length = 0;
  while (length < value.size() && length < 5 && value[length] >= 'A' && value[length] <= 'Z') ++length;
  return length >= 3 ? length : 0;
}

}  // namespace

std::optional<GoTime> parse_time(std::string_view layout, std::string_view value, std::string& error) {
  const std::string_view whole_layout = layout, whole_value = value;
  int64_t year = 0;
  int month = -1, day = -1, year_day = -1, hour = 0, minute = 0, second = 0, nanos = 0;
  int64_t zone_offset = 0;
  bool pm = false, am = false;
  auto cannot_parse = [&](std::string_view value_part, std::string_view layout_part) {
    error = fmt::format("parsing time {} as {}: cannot parse {} as {}", go_quote(whole_value), go_quote(whole_layout),
                        go_quote(value_part), go_quote(layout_part));
    return std::nullopt;
  };
  auto out_of_range = [&](std::string_view what) {
    error = fmt::format("parsing time {}: {}", go_quote(whole_value), what);
    return std::nullopt;
  };
  while (true) {
    LayoutPiece piece = next_piece(layout);
    if (!skip_literal(value, piece.literal)) return cannot_parse(value, piece.literal);
    if (piece.element == Element::None) {
      if (!value.empty()) return out_of_range(fmt::format("extra text: {}", go_quote(value)));
      break;
    }
    layout = piece.rest;
    const std::string_view before = value;
    bool bad = false;
    std::string_view range;
    auto number = [&](size_t most, bool fixed) {
      std::optional<int> found = take_number(value, most, fixed);
      if (!found) bad = true;
      return found.value_or(0);
    };
    switch (piece.element) {
      case Element::None: break;
      case Element::Year:
        if (value.size() < 2 || !digit_at(value, 0) || !digit_at(value, 1)) {
          bad = true;
          break;
        }
        year = (value[0] - '0') * 10 + (value[1] - '0');
        year += year >= 69 ? 1900 : 2000;
        value.remove_prefix(2);
        break;
      case Element::LongYear:
        if (value.size() < 4 || !std::all_of(value.begin(), value.begin() + 4, [](char c) { return c >= '0' && c <= '9'; })) {
          bad = true;
          break;
        }
        year = std::atoi(std::string(value.substr(0, 4)).c_str());
        value.remove_prefix(4);
        break;
      case Element::LongMonth:
      case Element::Month: {
        std::optional<int> found = piece.element == Element::LongMonth ? take_name(value, kLongMonths) : take_name(value, kShortMonths);
        if (!found) bad = true;
        else month = *found + 1;
        break;
      }
      case Element::NumMonth:
      case Element::ZeroMonth:
        month = number(2, piece.element == Element::ZeroMonth);
        if (!bad && (month <= 0 || month > 12)) range = "month";
        break;
      case Element::LongWeekDay:
      case Element::WeekDay:
        if (!(piece.element == Element::LongWeekDay ? take_name(value, kLongDays) : take_name(value, kShortDays))) bad = true;
        break;
      case Element::Day:
      case Element::UnderDay:
      case Element::ZeroDay:
        if (piece.element == Element::UnderDay && !value.empty() && value[0] == ' ') value.remove_prefix(1);
        day = number(2, piece.element == Element::ZeroDay);  // checked against the month below
        break;
      case Element::UnderYearDay:
      case Element::ZeroYearDay:
        for (int i = 0; i < 2; ++i)
          if (piece.element == Element::UnderYearDay && !value.empty() && value[0] == ' ') value.remove_prefix(1);
        year_day = number(3, piece.element == Element::ZeroYearDay);
        break;
      case Element::Hour:
        hour = number(2, false);
        if (!bad && hour >= 24) range = "hour";
        break;
      case Element::Hour12:
      case Element::ZeroHour12:
        hour = number(2, piece.element == Element::ZeroHour12);
        if (!bad && hour > 12) range = "hour";
        break;
      case Element::Minute:
      case Element::ZeroMinute:
        minute = number(2, piece.element == Element::ZeroMinute);
        if (!bad && minute >= 60) range = "minute";
        break;
      case Element::Second:
      case Element::ZeroSecond: {
        second = number(2, piece.element == Element::ZeroSecond);
        if (bad) break;
        if (second >= 60) {
          range = "second";
          break;
        }
        // A fractional second the layout does not ask for is taken anyway.
        Element following = next_piece(layout).element;
        if (value.size() >= 2 && (value[0] == '.' || value[0] == ',') && digit_at(value, 1) &&
            following != Element::FracSecond0 && following != Element::FracSecond9) {
          size_t count = 2;
          while (digit_at(value, count)) ++count;
          nanos = take_fraction(value, count).value_or(0);
        }
        break;
      }
      case Element::PM:
      case Element::LowerPM: {
        std::string_view p = value.substr(0, 2);
        bool upper = piece.element == Element::PM;
        if (value.size() >= 2 && p == (upper ? "PM" : "pm")) pm = true;
        else if (value.size() >= 2 && p == (upper ? "AM" : "am")) am = true;
        else bad = true;
        if (!bad) value.remove_prefix(2);
        break;
      }
      case Element::IsoZone:
      case Element::IsoSecondsZone:
      case Element::IsoShortZone:
      case Element::IsoColonZone:
      case Element::IsoColonSecondsZone:
        if (!value.empty() && value[0] == 'Z') {
          value.remove_prefix(1);
          break;
        }
        [[fallthrough]];
      case Element::NumZone:
      case Element::NumSecondsZone:
      case Element::NumShortZone:
      case Element::NumColonZone:
      case Element::NumColonSecondsZone: {
        // sign, hours, then minutes and seconds where the layout has them
        std::string_view text = value;
        bool colon = piece.element == Element::IsoColonZone || piece.element == Element::NumColonZone ||
                     piece.element == Element::IsoColonSecondsZone || piece.element == Element::NumColonSecondsZone;
        bool with_minutes = piece.element != Element::IsoShortZone && piece.element != Element::NumShortZone;
        bool with_seconds = piece.element == Element::IsoSecondsZone || piece.element == Element::NumSecondsZone ||
                            piece.element == Element::IsoColonSecondsZone || piece.element == Element::NumColonSecondsZone;
        if (text.empty() || (text[0] != '+' && text[0] != '-')) {
          bad = true;
          break;
        }
        bool negative = text[0] == '-';
        text.remove_prefix(1);
        std::optional<int> hours = take_number(text, 2, true), minutes = 0, seconds = 0;
        if (with_minutes && colon && !text.empty() && text[0] == ':') text.remove_prefix(1);
        else if (with_minutes && colon) hours.reset();
        if (hours && with_minutes) minutes = take_number(text, 2, true);
        if (with_seconds && colon && !text.empty() && text[0] == ':') text.remove_prefix(1);
        else if (with_seconds && colon) hours.reset();
        if (hours && minutes && with_seconds) seconds = take_number(text, 2, true);
        if (!hours || !minutes || !seconds) {
          bad = true;
          break;
        }
        if (*hours > 24) range = "time zone offset hour";
        if (*minutes > 60) range = "time zone offset minute";
        if (*seconds > 60) range = "time zone offset second";
        zone_offset = (*hours * 60 + *minutes) * 60 + *seconds;
        if (negative) zone_offset = -zone_offset;
        value = text;
        break;
      }
      case Element::Zone: {
        // A zone other than UTC has no known offset here, as in Go for a zone it does not know.
        size_t length = zone_name_length(value);
        if (length == 0) bad = true;
        else value.remove_prefix(length);
        break;
      }
      case Element::FracSecond0: {
        size_t count = 1 + static_cast<size_t>(piece.digits);
        std::optional<int> found = value.size() >= count ? take_fraction(value, count) : std::nullopt;
        if (!found) bad = true;
        else nanos = *found;
        break;
      }
      case Element::FracSecond9: {
        if (value.size() < 2 || (value[0] != '.' && value[0] != ',') || !digit_at(value, 1)) break;  // omitted
        size_t count = 2;
        while (digit_at(value, count)) ++count;
        nanos = take_fraction(value, count).value_or(0);
        break;
      }
    }
    if (!range.empty()) return out_of_range(fmt::format("{} out of range", range));
    if (bad) return cannot_parse(before, piece.element_text);
  }
  if (pm && hour < 12) hour += 12;
  else if (am && hour == 12) hour = 0;
  if (year_day >= 0) {
    int length = is_leap(year) ? 366 : 365;
    if (year_day < 1 || year_day > length) return out_of_range("day-of-year out of range");
    CivilTime from_year_day = civil_of({(days_from_civil(year, 1, 1) + year_day - 1) * kSecondsPerDay, 0});
    if (month >= 0 && month != from_year_day.month) return out_of_range("day-of-year does not match month");
    if (day >= 0 && day != from_year_day.day) return out_of_range("day-of-year does not match day");
    month = from_year_day.month;
    day = from_year_day.day;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > days_in_month(month, year)) return out_of_range("day out of range");
  GoTime time = time_of(year, month, day, hour, minute, second, nanos);
  time.seconds -= zone_offset;
  return time;
}

std::optional<int64_t> parse_duration(std::string_view text, std::string& error) {
  const std::string_view whole = text;
  auto invalid = [&] {
    error = fmt::format("time: invalid duration {}", go_quote(whole));
    return std::nullopt;
  };
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text == "0") return 0;
  if (text.empty()) return invalid();
  constexpr uint64_t kLimit = uint64_t{1} << 63;
  uint64_t total = 0;
  while (!text.empty()) {
    if (text[0] != '.' && !digit_at(text, 0)) return invalid();
    uint64_t whole_part = 0;
    size_t digits = 0;
    for (; digit_at(text, digits); ++digits) {
      if (whole_part > kLimit / 10) return invalid();
      whole_part = whole_part * 10 + (text[digits] - '0');
      if (whole_part > kLimit) return invalid();
    }
    text.remove_prefix(digits);
    uint64_t fraction = 0;
    double scale = 1;
    bool has_fraction = false;
    if (!text.empty() && text[0] == '.') {
      text.remove_prefix(1);
      size_t count = 0;
      bool overflow = false;
      for (; digit_at(text, count); ++count) {
        if (overflow) continue;
        if (fraction > (kLimit - 1) / 10) {
          overflow = true;
          continue;
        }
        uint64_t next = fraction * 10 + (text[count] - '0');
        if (next > kLimit) {
          overflow = true;
          continue;
        }
        fraction = next;
        scale *= 10;
      }
      has_fraction = count > 0;
      text.remove_prefix(count);
    }
    if (digits == 0 && !has_fraction) return invalid();
    size_t unit_length = 0;
    while (unit_length < text.size() && text[unit_length] != '.' && !digit_at(text, unit_length)) ++unit_length;
    if (unit_length == 0) {
      error = fmt::format("time: missing unit in duration {}", go_quote(whole));
      return std::nullopt;
    }
    std::string_view unit_name = text.substr(0, unit_length);
    text.remove_prefix(unit_length);
    uint64_t unit = 0;
    if (unit_name == "ns") unit = kNanosecond;
    else if (unit_name == "us" || unit_name == "\xC2\xB5s" || unit_name == "\xCE\xBCs") unit = kMicrosecond;
    else if (unit_name == "ms") unit = kMillisecond;
    else if (unit_name == "s") unit = kSecond;
    else if (unit_name == "m") unit = kMinute;
    else if (unit_name == "h") unit = kHour;
    else {
      error = fmt::format("time: unknown unit {} in duration {}", go_quote(unit_name), go_quote(whole));
      return std::nullopt;
    }
    if (whole_part > kLimit / unit) return invalid();
    uint64_t value = whole_part * unit;
    if (fraction > 0) {
      value += static_cast<uint64_t>(static_cast<double>(fraction) * (static_cast<double>(unit) / scale));
      if (value > kLimit) return invalid();
    }
    total += value;
    if (total > kLimit) return invalid();
  }
  if (negative) return static_cast<int64_t>(0 - total);
  if (total > kLimit - 1) return invalid();
  return static_cast<int64_t>(total);
}

std::string format_duration(int64_t nanoseconds) {
  uint64_t u = nanoseconds < 0 ? 0 - static_cast<uint64_t>(nanoseconds) : static_cast<uint64_t>(nanoseconds);
  // The digits of u / 10^precision, with the fraction's trailing zeros (and a bare point) left out.
  auto with_fraction = [](uint64_t value, int precision) {
    std::string fraction;
    for (int i = 0; i < precision; ++i) {
      fraction.insert(fraction.begin(), static_cast<char>('0' + value % 10));
      value /= 10;
    }
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    return std::to_string(value) + (fraction.empty() ? "" : "." + fraction);
  };
  std::string out;
  if (u < static_cast<uint64_t>(kSecond)) {
    if (u == 0) return "0s";
    if (u < static_cast<uint64_t>(kMicrosecond)) out = std::to_string(u) + "ns";
    else if (u < static_cast<uint64_t>(kMillisecond)) out = with_fraction(u, 3) + "\xC2\xB5s";
    else out = with_fraction(u, 6) + "ms";
  } else {
    std::string seconds = with_fraction(u % static_cast<uint64_t>(kMinute), 9) + "s";
    uint64_t minutes = u / static_cast<uint64_t>(kMinute);
    if (minutes == 0) out = seconds;
    else if (minutes < 60) out = std::to_string(minutes) + "m" + seconds;
    else out = std::to_string(minutes / 60) + "h" + std::to_string(minutes % 60) + "m" + seconds;
  }
  return nanoseconds < 0 ? "-" + out : out;
}

int64_t round_duration(int64_t nanoseconds, int64_t multiple) {
  if (multiple <= 0) return nanoseconds;
  int64_t remainder = nanoseconds % multiple;
  auto less_than_half = [](int64_t x, int64_t y) { return static_cast<uint64_t>(x) + static_cast<uint64_t>(x) < static_cast<uint64_t>(y); };
  if (nanoseconds < 0) {
    remainder = -remainder;
    if (less_than_half(remainder, multiple)) return nanoseconds + remainder;
    if (nanoseconds > std::numeric_limits<int64_t>::min() + multiple - remainder) return nanoseconds - multiple + remainder;
    return std::numeric_limits<int64_t>::min();
  }
  if (less_than_half(remainder, multiple)) return nanoseconds - remainder;
  if (nanoseconds < std::numeric_limits<int64_t>::max() - multiple + remainder) return nanoseconds + multiple - remainder;
  return std::numeric_limits<int64_t>::max();
}

}  // namespace shiftlint::helm
