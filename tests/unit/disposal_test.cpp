// A run hands its large structures to a Disposal: freed on a thread of its own with several jobs,
// at once with one, and always before the Disposal is gone.
#include "analyzer/engine/disposal.h"

#include <catch2/catch.hpp>
#include <memory>
#include <thread>
#include <vector>

using namespace shiftlint;

TEST_CASE("disposal: with one job, what is handed over is freed at once") {
  auto data = std::make_shared<std::vector<int>>(1000, 7);
  std::weak_ptr<std::vector<int>> watch = data;
  Disposal disposal(false);
  disposal.dispose(std::move(data));
  CHECK(watch.expired());
}

TEST_CASE("disposal: on its own thread, everything is freed before the disposal is gone") {
  std::vector<std::weak_ptr<std::vector<int>>> watches;
  std::thread::id freed_on;
  struct Probe {
    std::thread::id* freed_on;
    bool moved = false;
    Probe(std::thread::id* where) : freed_on(where) {}
    Probe(Probe&& other) noexcept : freed_on(other.freed_on) { other.moved = true; }
    ~Probe() {
      if (!moved) *freed_on = std::this_thread::get_id();
    }
  };
  {
    Disposal disposal(true);
    for (int i = 0; i < 100; ++i) {
      auto data = std::make_shared<std::vector<int>>(100, i);
      watches.push_back(data);
      disposal.dispose(std::move(data));
    }
    disposal.dispose(Probe(&freed_on));
  }
  for (const auto& watch : watches) CHECK(watch.expired());
  CHECK(freed_on != std::thread::id());
  CHECK(freed_on != std::this_thread::get_id());
}
