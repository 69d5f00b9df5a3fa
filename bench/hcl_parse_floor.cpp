// The parse floor for the Terraform benchmark: how long tree-sitter-hcl alone takes to parse the
// .tf files of a folder (read from disk, parsed, tree freed), on one thread. shiftlint's Terraform
// phase does this plus HCL syntax building, evaluation and the rules; compare its CPU time with this.
//
//   c++ -O2 -std=c++20 bench/hcl_parse_floor.cpp -Ibuild/grammars/node_modules/tree-sitter/vendor/tree-sitter/lib/include \
//       build/libts_hcl.a build/libts_runtime.a -o build/hcl_parse_floor
//   build/hcl_parse_floor DIR
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <tree_sitter/api.h>

extern "C" const TSLanguage* tree_sitter_hcl();

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  std::vector<std::string> texts;
  size_t bytes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[1])) {
    if (!entry.is_regular_file() || entry.path().extension() != ".tf") continue;
    std::ifstream input(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << input.rdbuf();
    texts.push_back(buffer.str());
    bytes += texts.back().size();
  }
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_hcl());
  // CPU time, not wall: the benchmark machine is shared, and wall time measures the scheduler.
  std::clock_t start = std::clock();
  size_t nodes = 0;
  for (const std::string& text : texts) {
    TSTree* tree = ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
    nodes += ts_node_descendant_count(ts_tree_root_node(tree));
    ts_tree_delete(tree);
  }
  double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  ts_parser_delete(parser);
  std::printf("%zu .tf files, %.1f MB, %zu nodes: parsed in %.3f s of CPU (%.1f MB/s, one thread)\n", texts.size(),
              bytes / 1e6, nodes, seconds, bytes / 1e6 / seconds);
  return 0;
}
