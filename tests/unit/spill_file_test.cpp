#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "analyzer/engine/spill_file.h"

using namespace shiftlint;

TEST_CASE("spill file: small runs stay in memory, the file is made only when the memory part is used up") {
  SpillFile spill(16);
  auto first = spill.append("0123456789");
  REQUIRE(first);
  CHECK(first->offset == 0);
  CHECK_FALSE(spill.on_disk());

  // Does not fit in the 6 bytes left: goes to the file, after the whole memory part.
  auto second = spill.append("abcdefghij");
  REQUIRE(second);
  CHECK(second->offset == 16);
  CHECK(spill.on_disk());
  auto third = spill.append("tail");
  REQUIRE(third);
  CHECK(third->offset == 26);
  auto empty = spill.append("");
  REQUIRE(empty);

  std::string bytes;
  REQUIRE(spill.read(*first, bytes));
  CHECK(bytes == "0123456789");
  REQUIRE(spill.read(*second, bytes));
  CHECK(bytes == "abcdefghij");
  REQUIRE(spill.read(*third, bytes));
  CHECK(bytes == "tail");
  REQUIRE(spill.read(*empty, bytes));
  CHECK(bytes.empty());
}

TEST_CASE("spill file: what was never appended is refused, not made up") {
  SpillFile spill(16);
  std::string bytes;
  CHECK_FALSE(spill.read(SpillFile::Extent{0, 4}, bytes));    // nothing in memory yet
  CHECK_FALSE(spill.read(SpillFile::Extent{20, 4}, bytes));   // no file yet
  CHECK_FALSE(spill.read(SpillFile::Extent{12, 8}, bytes));   // across the boundary: never written so
  REQUIRE(spill.append(std::string(40, 'x')));                // straight to the file
  CHECK_FALSE(spill.read(SpillFile::Extent{16, 80}, bytes));  // past the end of the file
}

TEST_CASE("spill file: appends and reads from several threads, in memory and on disk") {
  SpillFile spill(4096);
  constexpr int kThreads = 4;
  constexpr int kRecords = 500;
  std::vector<std::vector<std::pair<SpillFile::Extent, std::string>>> written(kThreads);
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      for (int record = 0; record < kRecords; ++record) {
        std::string text = std::to_string(thread) + ":" + std::to_string(record) + std::string(record % 7, '.');
        auto extent = spill.append(text);
        if (!extent) continue;
        written[thread].emplace_back(*extent, text);
        std::string back;
        if (!spill.read(*extent, back) || back != text) written[thread].emplace_back(*extent, "MISMATCH");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(spill.on_disk());
  size_t records = 0;
  std::string bytes;
  for (const auto& list : written) {
    for (const auto& [extent, text] : list) {
      REQUIRE(text != "MISMATCH");
      REQUIRE(spill.read(extent, bytes));
      CHECK(bytes == text);
      ++records;
    }
  }
  CHECK(records == kThreads * kRecords);
}
