#pragma once
// Go's time package as Sprig's date functions use it: Time.Format and time.Parse with Go's
// reference-time layouts ("2006-01-02 15:04:05"), time.ParseDuration and Duration.String.
//
// Every moment is in UTC: no time-zone database is read (the render must not depend on the
// machine), so Go's "Local" and any zone name are UTC here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shiftlint::helm {

// Seconds from 1970-01-01T00:00:00Z to Go's zero Time, 0001-01-01T00:00:00Z.
inline constexpr int64_t kZeroTimeSeconds = -62135596800;

struct GoTime {
  int64_t seconds = kZeroTimeSeconds;  // since the Unix epoch
  int32_t nanoseconds = 0;             // 0 to 999,999,999

  bool operator==(const GoTime&) const = default;
};

struct CivilTime {
  int64_t year;
  int month;  // 1 to 12
  int day;    // 1 to 31
  int hour, minute, second;
  int year_day;  // 1 to 366
  int weekday;   // 0 is Sunday
};

CivilTime civil_of(const GoTime& time);
// Go's time.Date: months, days, hours... out of range are carried over (January 32 is February 1).
GoTime time_of(int64_t year, int64_t month, int64_t day, int64_t hour, int64_t minute, int64_t second,
               int64_t nanosecond);
// Go's Time.Add: `nanoseconds` may be negative.
GoTime add_duration(const GoTime& time, int64_t nanoseconds);
// time.Since(time) - (now - time) - in nanoseconds, saturated as Go's Sub is.
int64_t nanoseconds_between(const GoTime& from, const GoTime& to);

// Time.Format.
std::string format_time(const GoTime& time, std::string_view layout);
// Time.String: "2006-01-02 15:04:05.999999999 -0700 MST".
std::string time_string(const GoTime& time);
// time.Parse (ParseInLocation, here always UTC). nullopt and Go's message when `value` does not
// fit `layout`: `parsing time "2024-13-45": month out of range`.
std::optional<GoTime> parse_time(std::string_view layout, std::string_view value, std::string& error);

// time.ParseDuration ("1h30m", "-1.5h", "300ms"): nanoseconds, or nullopt and Go's message.
std::optional<int64_t> parse_duration(std::string_view text, std::string& error);
// Duration.String: "1h1m1s", "1.5s", "300ms", "0s".
std::string format_duration(int64_t nanoseconds);
// Duration.Round(multiple).
int64_t round_duration(int64_t nanoseconds, int64_t multiple);

}  // namespace shiftlint::helm
