// detect/host_tuning: the time zone names a TZ value may hold.
#include <catch2/catch.hpp>

#include "analyzer/detect/host_tuning.h"

using shiftlint::detect::is_time_zone_name;

TEST_CASE("host_tuning: TZ values that name a zone, and placeholders that do not") {
  for (const char* zone : {"Asia/Tokyo", "Europe/Berlin", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT-9",
                           "GMT+0", "Japan", ":Asia/Tokyo", "JST-9", "EST5EDT", "CET-1CEST,M3.5.0,M10.5.0/3",
                           "<+09>-9"}) {
    INFO(zone);
    CHECK(is_time_zone_name(zone));
  }
  for (const char* placeholder : {"", "my-timezone", "your-zone-here", "Your-Time-Zone", "timezone", "<zone>",
                                  "Enter your time zone"}) {
    INFO(placeholder);
    CHECK_FALSE(is_time_zone_name(placeholder));
  }
}
