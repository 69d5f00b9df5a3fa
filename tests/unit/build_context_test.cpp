#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/model/docker/build_context.h"
#include "analyzer/model/docker/dockerfile.h"
#include "analyzer/parse/dockerfile_parser.h"

namespace fs = std::filesystem;
using namespace shiftlint;
using namespace shiftlint::docker;

namespace {

// A scan root in a fresh temporary folder, removed at the end of the test.
class TempTree {
 public:
  TempTree() {
    std::random_device random;
    root_ = fs::temp_directory_path() / ("shiftlint-build-context-" + std::to_string(random()));
    fs::create_directories(root_);
    root_ = fs::canonical(root_);
  }
  ~TempTree() {
    std::error_code error;
    fs::remove_all(root_, error);
  }
  void write(const std::string& relative, const std::string& text) const {
    fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  std::string path(const std::string& relative = "") const {
    return relative.empty() ? root_.generic_string() : (root_ / relative).generic_string();
  }

 private:
  fs::path root_;
};

// A Dockerfile at `relative` in the tree, linted as `shiftlint check <root>` would see it.
struct Built {
  Dockerfile dockerfile;
  std::unique_ptr<BuildContext> context;
};

Built build(const TempTree& tree, const std::string& relative, const std::string& text) {
  tree.write(relative, text);
  auto file = std::make_shared<const SourceFile>(tree.path(relative), relative, text);
  Built built;
  built.dockerfile = build_dockerfile(file, parse_dockerfile(*file));
  built.context = std::make_unique<BuildContext>(built.dockerfile, context_location_of(*file));
  built.dockerfile.build_context = built.context.get();
  return built;
}

std::vector<std::string> image_paths(const std::vector<ContextFile>& files) {
  std::vector<std::string> paths;
  for (const ContextFile& file : files) paths.push_back(file.image_path + " <- " + file.display_path);
  return paths;
}

}  // namespace

TEST_CASE("build context: context_location_of splits path and display path") {
  SourceFile nested("/repo/docker/web/Dockerfile", "docker/web/Dockerfile", "FROM x\n");
  ContextLocation location = context_location_of(nested);
  CHECK(location.dockerfile_folder == "/repo/docker/web");
  CHECK(location.display_folder == "docker/web");
  CHECK(location.scan_root == "/repo");

  SourceFile at_root("/repo/Dockerfile", "Dockerfile", "FROM x\n");
  CHECK(context_location_of(at_root).scan_root == "/repo");
  CHECK(context_location_of(at_root).display_folder.empty());

  // A single file given by an absolute path: the scan root is its own folder.
  SourceFile absolute("/elsewhere/app/Dockerfile", "/elsewhere/app/Dockerfile", "FROM x\n");
  CHECK(context_location_of(absolute).scan_root == "/elsewhere/app");
  CHECK(context_location_of(absolute).display_folder == "/elsewhere/app");
}

TEST_CASE("build context: an entrypoint script copied to a file path") {
  TempTree tree;
  tree.write("entrypoint.sh", "#!/bin/sh\nset -e\nbundle exec rails db:migrate\nexec \"$@\"\n");
  Built built = build(tree, "Dockerfile",
                      "FROM ruby:3.2\n"
                      "WORKDIR /app\n"
                      "COPY --chmod=0755 entrypoint.sh /usr/bin/entrypoint.sh\n"
                      "ENTRYPOINT [\"entrypoint.sh\"]\n");
  const BuildContext& context = *built.dockerfile.build_context;

  std::vector<ContextFile> files = context.files_copied_to("/usr/bin/entrypoint.sh");
  REQUIRE(files.size() == 1);
  CHECK(files[0].context_path == "entrypoint.sh");
  CHECK(files[0].display_path == "entrypoint.sh");
  CHECK(files[0].instruction->span.begin.line == 3);
  REQUIRE(files[0].mode);
  CHECK(*files[0].mode == 0755);

  // The bare name ENTRYPOINT uses is found through PATH.
  std::vector<ContextFile> run = context.files_run_as("entrypoint.sh");
  REQUIRE(run.size() == 1);
  CHECK(run[0].image_path == "/usr/bin/entrypoint.sh");

  std::optional<ContextText> text = context.text(files[0]);
  REQUIRE(text);
  CHECK(text->file->display_path() == "entrypoint.sh");
  CHECK(text->text.text().find("exec \"$@\"") != std::string::npos);
  CHECK(text->file->line(3) == "bundle exec rails db:migrate");
  // Read once per run: the same object again.
  CHECK(context.read(files[0]) == text->file);

  CHECK(context.files_copied_to("/app/entrypoint.sh").empty());
  CHECK(context.files_run_as("missing.sh").empty());
}

TEST_CASE("build context: destinations relative to WORKDIR, folders and well-known folders") {
  TempTree tree;
  tree.write("bin/start", "#!/bin/sh\nexec puma\n");
  tree.write("docker-entrypoint.sh", "#!/bin/sh\nexec \"$@\"\n");
  tree.write("supervisord.conf", "[supervisord]\nnodaemon=true\n");
  Built built = build(tree, "Dockerfile",
                      "FROM node:20\n"
                      "ENV APP_HOME=/srv/app\n"
                      "WORKDIR $APP_HOME\n"
                      "COPY bin/start ./bin/\n"
                      "COPY docker-entrypoint.sh /usr/local/bin\n"
                      "COPY supervisord.conf /etc/supervisor/conf.d\n"
                      "CMD [\"./bin/start\"]\n");
  const BuildContext& context = *built.dockerfile.build_context;

  CHECK(image_paths(context.files_copied_to("/srv/app/bin/start")) ==
        std::vector<std::string>{"/srv/app/bin/start <- bin/start"});
  CHECK(image_paths(context.files_run_as("./bin/start")) == std::vector<std::string>{"/srv/app/bin/start <- bin/start"});
  CHECK(image_paths(context.files_run_as("docker-entrypoint.sh")) ==
        std::vector<std::string>{"/usr/local/bin/docker-entrypoint.sh <- docker-entrypoint.sh"});
  CHECK(image_paths(context.files_copied_to("/etc/supervisor/conf.d/supervisord.conf")) ==
        std::vector<std::string>{"/etc/supervisor/conf.d/supervisord.conf <- supervisord.conf"});
  CHECK(context.files_copied_to("/etc/supervisor/conf.d").empty());
}

TEST_CASE("build context: folder sources, COPY . and globs") {
  TempTree tree;
  tree.write("config/nginx/nginx.conf", "daemon off;\n");
  tree.write("config/nginx/sites/app.conf", "server {}\n");
  tree.write("config/php/www.conf", "[www]\n");
  tree.write("config/php/readme.txt", "not a pool\n");
  tree.write("app/index.php", "<?php\n");
  Built built = build(tree, "Dockerfile",
                      "FROM php:8.2-fpm\n"
                      "COPY config/nginx/ /etc/nginx/\n"
                      "COPY config/php/*.conf /usr/local/etc/php-fpm.d/\n"
                      "COPY . /var/www/\n");
  const BuildContext& context = *built.dockerfile.build_context;

  // `COPY . /var/www/` came last: it also wrote /var/www/config/nginx/nginx.conf, not /etc/nginx.
  CHECK(image_paths(context.files_copied_to("/etc/nginx/sites/app.conf")) ==
        std::vector<std::string>{"/etc/nginx/sites/app.conf <- config/nginx/sites/app.conf"});
  CHECK(image_paths(context.files_copied_to("/usr/local/etc/php-fpm.d/www.conf")) ==
        std::vector<std::string>{"/usr/local/etc/php-fpm.d/www.conf <- config/php/www.conf"});
  CHECK(context.files_copied_to("/usr/local/etc/php-fpm.d/readme.txt").empty());
  CHECK(image_paths(context.files_copied_to("/var/www/app/index.php")) ==
        std::vector<std::string>{"/var/www/app/index.php <- app/index.php"});

  std::vector<std::string> all = image_paths(context.copied_files());
  CHECK(all == std::vector<std::string>{
                   "/etc/nginx/nginx.conf <- config/nginx/nginx.conf",
                   "/etc/nginx/sites/app.conf <- config/nginx/sites/app.conf",
                   "/usr/local/etc/php-fpm.d/www.conf <- config/php/www.conf",
                   "/var/www/Dockerfile <- Dockerfile",
                   "/var/www/app/index.php <- app/index.php",
                   "/var/www/config/nginx/nginx.conf <- config/nginx/nginx.conf",
                   "/var/www/config/nginx/sites/app.conf <- config/nginx/sites/app.conf",
                   "/var/www/config/php/readme.txt <- config/php/readme.txt",
                   "/var/www/config/php/www.conf <- config/php/www.conf",
               });
}

TEST_CASE("build context: the last COPY to a path wins, and other stages do not count") {
  TempTree tree;
  tree.write("entrypoint.dev.sh", "#!/bin/sh\nnpm run dev\n");
  tree.write("entrypoint.prod.sh", "#!/bin/sh\nexec node server.js\n");
  Built built = build(tree, "Dockerfile",
                      "FROM node:20 AS build\n"
                      "COPY entrypoint.dev.sh /entrypoint.sh\n"
                      "FROM build AS release\n"
                      "COPY entrypoint.prod.sh /entrypoint.sh\n"
                      "FROM node:20 AS other\n"
                      "COPY --from=release /entrypoint.sh /entrypoint.sh\n");
  const BuildContext& context = *built.dockerfile.build_context;
  // The final stage copies the release stage's file, which that stage got from the context (its
  // own COPY, the last to write the path, not its base stage's).
  CHECK(image_paths(context.files_copied_to("/entrypoint.sh")) ==
        std::vector<std::string>{"/entrypoint.sh <- entrypoint.prod.sh"});
  const Stage* release = built.dockerfile.find_stage("release");
  CHECK(image_paths(context.files_copied_to("/entrypoint.sh", release)) ==
        std::vector<std::string>{"/entrypoint.sh <- entrypoint.prod.sh"});
  const Stage* first = built.dockerfile.find_stage("build");
  CHECK(image_paths(context.files_copied_to("/entrypoint.sh", first)) ==
        std::vector<std::string>{"/entrypoint.sh <- entrypoint.dev.sh"});
}

TEST_CASE("build context: a Dockerfile in a subfolder built with the repository root as context") {
  TempTree tree;
  tree.write("docker/web/entrypoint.sh", "#!/bin/sh\nexec \"$@\"\n");
  tree.write("docker/web/nginx.conf", "events {}\n");
  tree.write("Gemfile", "source 'https://rubygems.org'\n");
  Built built = build(tree, "docker/web/Dockerfile",
                      "FROM ruby:3.2\n"
                      "COPY Gemfile ./\n"
                      "COPY docker/web/entrypoint.sh /entrypoint.sh\n"
                      "COPY docker/web/nginx.conf /etc/nginx/nginx.conf\n");
  const BuildContext& context = *built.dockerfile.build_context;
  CHECK(context.root() == tree.path());
  CHECK(context.display_root().empty());
  std::vector<ContextFile> files = context.files_copied_to("/entrypoint.sh");
  REQUIRE(files.size() == 1);
  CHECK(files[0].display_path == "docker/web/entrypoint.sh");
  std::shared_ptr<const SourceFile> script = context.read(files[0]);
  REQUIRE(script);
  CHECK(script->display_path() == "docker/web/entrypoint.sh");
}

TEST_CASE("build context: the Dockerfile's own folder is the context when its sources are there") {
  TempTree tree;
  tree.write("services/api/entrypoint.sh", "#!/bin/sh\n");
  tree.write("entrypoint.sh", "#!/bin/sh\n# the repository root's, not the api's\n");
  Built built = build(tree, "services/api/Dockerfile", "FROM alpine\nCOPY entrypoint.sh /\n");
  const BuildContext& context = *built.dockerfile.build_context;
  CHECK(context.display_root() == "services/api");
  CHECK(image_paths(context.files_copied_to("/entrypoint.sh")) ==
        std::vector<std::string>{"/entrypoint.sh <- services/api/entrypoint.sh"});
}

TEST_CASE("build context: heredoc files are read from the Dockerfile") {
  TempTree tree;
  Built built = build(tree, "Dockerfile",
                      "FROM debian:12\n"
                      "COPY <<EOF /etc/cron.d/cleanup\n"
                      "0 3 * * * root /usr/local/bin/cleanup\n"
                      "EOF\n"
                      "COPY <<-'SCRIPT' /usr/local/bin/\n"
                      "\texec \"$@\"\n"
                      "\tSCRIPT\n");
  const BuildContext& context = *built.dockerfile.build_context;
  std::vector<ContextFile> cron = context.files_copied_to("/etc/cron.d/cleanup");
  REQUIRE(cron.size() == 1);
  REQUIRE(cron[0].heredoc);
  CHECK(cron[0].context_path.empty());
  CHECK(context.read(cron[0]) == nullptr);
  std::optional<ContextText> text = context.text(cron[0]);
  REQUIRE(text);
  CHECK(text->file == built.dockerfile.file);
  CHECK(text->text.text() == "0 3 * * * root /usr/local/bin/cleanup\n");
  Span minute = text->text.span_of(*text->file, 0, 1);
  CHECK(minute.begin == Position{3, 1});

  // A heredoc copied into a folder is named after its delimiter.
  std::vector<ContextFile> script = context.files_copied_to("/usr/local/bin/SCRIPT");
  REQUIRE(script.size() == 1);
  CHECK(context.text(script[0])->text.text() == "exec \"$@\"\n");
}

TEST_CASE("build context: nothing is read outside the scan root, too large, binary or dockerignored") {
  TempTree outside;
  outside.write("secret.sh", "#!/bin/sh\necho secret\n");
  TempTree tree;
  tree.write("real.sh", "#!/bin/sh\nexec app\n");
  tree.write("big.sh", std::string(kMaxContextFileBytes + 1, '#'));
  tree.write("binary.sh", std::string("\x7f" "ELF\0\0\0", 7));
  tree.write("ignored.sh", "#!/bin/sh\n");
  tree.write("logs/app.log", "log\n");
  tree.write(".dockerignore", "# local files\nignored.sh\nlogs\n");
  fs::create_symlink(outside.path("secret.sh"), tree.path("escape.sh"));
  fs::create_symlink(tree.path("real.sh"), tree.path("inside.sh"));
  Built built = build(tree, "Dockerfile",
                      "FROM alpine\n"
                      "COPY escape.sh inside.sh big.sh binary.sh ignored.sh /scripts/\n"
                      "COPY logs /logs\n");
  const BuildContext& context = *built.dockerfile.build_context;

  CHECK(context.files_copied_to("/scripts/escape.sh").empty());
  CHECK(context.files_copied_to("/scripts/ignored.sh").empty());
  CHECK(context.files_copied_to("/logs/app.log").empty());
  std::vector<ContextFile> inside = context.files_copied_to("/scripts/inside.sh");
  REQUIRE(inside.size() == 1);
  REQUIRE(context.read(inside[0]));
  CHECK(context.read(inside[0])->text() == "#!/bin/sh\nexec app\n");

  std::vector<ContextFile> big = context.files_copied_to("/scripts/big.sh");
  REQUIRE(big.size() == 1);
  CHECK(context.read(big[0]) == nullptr);
  std::vector<ContextFile> binary = context.files_copied_to("/scripts/binary.sh");
  REQUIRE(binary.size() == 1);
  CHECK(context.read(binary[0]) == nullptr);

  // A hand-made ContextFile pointing out of the context is refused too.
  ContextFile forged;
  forged.context_path = "escape.sh";
  CHECK(context.read(forged) == nullptr);
  CHECK(image_paths(context.copied_files()) ==
        std::vector<std::string>{"/scripts/inside.sh <- inside.sh", "/scripts/big.sh <- big.sh",
                                 "/scripts/binary.sh <- binary.sh"});
}

TEST_CASE("build context: files reached through a linked folder are judged by the folder's real place") {
  // The files themselves are not links: whether they are inside the scan root is their folder's
  // real path, looked up once per folder.
  TempTree outside;
  outside.write("keys/deploy.sh", "#!/bin/sh\necho outside\n");
  TempTree tree;
  tree.write("real/start.sh", "#!/bin/sh\nexec app\n");
  fs::create_symlink(outside.path("keys"), tree.path("keys"));
  fs::create_symlink(tree.path("real"), tree.path("alias"));
  Built built = build(tree, "Dockerfile",
                      "FROM alpine\n"
                      "COPY keys/deploy.sh alias/start.sh /scripts/\n"
                      "COPY keys /keys\n"
                      "COPY alias /alias\n");
  const BuildContext& context = *built.dockerfile.build_context;

  CHECK(context.files_copied_to("/scripts/deploy.sh").empty());
  CHECK(context.files_copied_to("/keys/deploy.sh").empty());
  std::vector<ContextFile> start = context.files_copied_to("/scripts/start.sh");
  REQUIRE(start.size() == 1);
  CHECK(start[0].context_path == "alias/start.sh");
  REQUIRE(context.read(start[0]));
  CHECK(context.files_copied_to("/alias/start.sh").size() == 1);
  // The same list on every call, kept by the context.
  CHECK(&context.copied_files() == &context.copied_files(built.dockerfile.final_stage()));
  CHECK(image_paths(context.copied_files()) ==
        std::vector<std::string>{"/scripts/start.sh <- alias/start.sh", "/alias/start.sh <- alias/start.sh"});
}

TEST_CASE("build context: programs found through PATH, asked again and again") {
  TempTree tree;
  tree.write("start.sh", "#!/bin/sh\nexec app\n");
  tree.write("bin/tool", "#!/bin/sh\n");
  tree.write("rootfs/usr/bin/helper", "#!/bin/sh\n");
  Built built = build(tree, "Dockerfile",
                      "FROM alpine\n"
                      "COPY start.sh /\n"
                      "COPY bin/tool /usr/local/bin/\n"
                      "COPY rootfs /\n");
  const BuildContext& context = *built.dockerfile.build_context;
  for (int round = 0; round < 2; ++round) {  // the second round answers from what is kept
    CHECK(image_paths(context.files_copied_to("/start.sh")) == std::vector<std::string>{"/start.sh <- start.sh"});
    CHECK(image_paths(context.files_run_as("tool")) == std::vector<std::string>{"/usr/local/bin/tool <- bin/tool"});
    CHECK(image_paths(context.files_run_as("helper")) ==
          std::vector<std::string>{"/usr/bin/helper <- rootfs/usr/bin/helper"});
    CHECK(context.files_run_as("apt-get").empty());
    CHECK(context.files_copied_to("/start.sh.bak").empty());
    CHECK(context.files_copied_to("/usr/local/bin/tool2").empty());
  }
}

TEST_CASE("build context: ADD of URLs and archives, and remote sources, are not context files") {
  TempTree tree;
  tree.write("vendor.tar.gz", "not really gzip");
  tree.write("app.conf", "x=1\n");
  Built built = build(tree, "Dockerfile",
                      "FROM alpine\n"
                      "ADD https://example.com/tool.sh /usr/local/bin/tool.sh\n"
                      "ADD vendor.tar.gz /opt/\n"
                      "ADD app.conf /etc/app.conf\n");
  const BuildContext& context = *built.dockerfile.build_context;
  CHECK(context.files_copied_to("/usr/local/bin/tool.sh").empty());
  CHECK(context.files_copied_to("/opt/vendor.tar.gz").empty());
  CHECK(image_paths(context.copied_files()) == std::vector<std::string>{"/etc/app.conf <- app.conf"});
}

TEST_CASE("build context: one cache serves threads reading the same files") {
  TempTree tree;
  tree.write("entrypoint.sh", "#!/bin/sh\nexec \"$@\"\n");
  auto cache = std::make_shared<ContextFileCache>();
  std::string path = tree.path("entrypoint.sh");
  std::vector<std::shared_ptr<const SourceFile>> results(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i)
    threads.emplace_back([&, i] { results[i] = cache->read(path, "entrypoint.sh", tree.path()); });
  for (std::thread& thread : threads) thread.join();
  REQUIRE(results[0]);
  for (const auto& result : results) CHECK(result == results[0]);
  // Outside the given scan root: refused (and the refusal is what the cache keeps).
  CHECK(cache->read(path, "entrypoint.sh", tree.path() + "/sub") == nullptr);
}

TEST_CASE("build context: the run's cache answers stat and lstat as the system does, links included") {
  TempTree tree;
  tree.write("folder/file.sh", "#!/bin/sh\n");
  fs::create_symlink(tree.path("folder/file.sh"), tree.path("file-link"));
  fs::create_symlink(tree.path("folder"), tree.path("folder-link"));
  fs::create_symlink(tree.path("missing"), tree.path("dangling"));
  ContextFileCache cache;
  for (const char* relative : {"folder/file.sh", "file-link", "folder", "folder-link", "dangling", "missing", ""}) {
    std::string path = tree.path(relative);
    CAPTURE(path);
    for (bool follow : {true, false, true}) {  // asked in both orders, and again from what is kept
      struct stat info;
      int result = follow ? ::stat(path.c_str(), &info) : ::lstat(path.c_str(), &info);
      ContextFileCache::PathStatus status = cache.status(path, follow);
      REQUIRE(status.found == (result == 0));
      if (result == 0) {
        CHECK(status.mode == info.st_mode);
        CHECK(status.size == info.st_size);
      }
    }
  }
  // Real paths go through the same answers.
  CHECK(cache.real_path(tree.path("folder-link/file.sh")) == tree.path("folder/file.sh"));
  CHECK(cache.real_path(tree.path("file-link")) == tree.path("folder/file.sh"));
  CHECK(cache.real_path(tree.path("dangling")).empty());
}

TEST_CASE("build context: threads asking stat, real path and read of the same paths at once get the system's answers") {
  // The cache holds its locks for lookups only, never across a system call: answers found by two
  // threads at once must still be the same for every caller.
  TempTree tree;
  std::vector<std::string> relatives;
  for (int index = 0; index < 24; ++index) {
    std::string name = "folder" + std::to_string(index % 4) + "/script" + std::to_string(index) + ".sh";
    tree.write(name, "#!/bin/sh\necho " + std::to_string(index) + "\n");
    relatives.push_back(name);
  }
  fs::create_symlink(tree.path("folder1"), tree.path("link-to-folder1"));
  relatives.push_back("link-to-folder1/script1.sh");
  relatives.push_back("missing/script.sh");
  relatives.push_back("folder2");
  // As a run's cache, and with ceilings so low that it starts again all the time (each answer is
  // still the system's, and what it holds stays below them).
  ContextFileCache::Ceilings low;
  low.files = 3;
  low.file_bytes = 40;
  low.statuses = 4;
  low.real_paths = 5;
  bool ceilinged = GENERATE(false, true);
  CAPTURE(ceilinged);
  auto cache = std::make_shared<ContextFileCache>(ceilinged ? low : ContextFileCache::Ceilings{});
  constexpr size_t kThreads = 6;
  std::vector<std::vector<std::string>> answers(kThreads);
  std::vector<std::thread> threads;
  for (size_t thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      for (int round = 0; round < 20; ++round) {
        for (size_t step = 0; step < relatives.size(); ++step) {
          // Each thread walks the paths from its own starting point, so that they meet.
          const std::string& relative = relatives[(step + thread * 5) % relatives.size()];
          std::string path = tree.path(relative);
          ContextFileCache::PathStatus status = cache->status(path);
          std::shared_ptr<const SourceFile> file = cache->read(path, relative, tree.path());
          answers[thread].push_back(relative + " " + std::to_string(status.found) + " " +
                                    std::to_string(status.size) + " " + cache->real_path(path) + " " +
                                    (file ? std::string(file->text()) : std::string("(none)")));
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  // What one thread alone, asking the system, says of each path.
  std::map<std::string, std::string> expected;
  for (const std::string& relative : relatives) {
    std::string path = tree.path(relative);
    struct stat info;
    bool found = ::stat(path.c_str(), &info) == 0;
    std::error_code error;
    std::string real = found ? fs::canonical(path, error).string() : std::string();
    std::string text = "(none)";
    if (found && S_ISREG(info.st_mode)) {
      std::ifstream in(path);
      text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    expected[relative] = relative + " " + std::to_string(found) + " " + std::to_string(found ? info.st_size : 0) +
                         " " + real + " " + text;
  }
  for (const std::vector<std::string>& thread_answers : answers) {
    REQUIRE(thread_answers.size() == 20 * relatives.size());
    for (const std::string& answer : thread_answers) {
      std::string relative = answer.substr(0, answer.find(' '));
      CHECK(answer == expected[relative]);
    }
  }
  ContextFileCache::Held held = cache->held();
  if (ceilinged) {
    CHECK(held.files <= low.files);
    CHECK(held.file_bytes <= low.file_bytes);
    CHECK(held.statuses <= low.statuses);
    // One walk, started below the ceiling, may add the path and every folder above it.
    std::string deepest = tree.path("link-to-folder1/script1.sh");
    CHECK(held.real_paths < low.real_paths + static_cast<size_t>(std::count(deepest.begin(), deepest.end(), '/')));
  } else {
    CHECK(held.files == relatives.size());
  }
}

TEST_CASE("build context: real paths discovery resolved are taken as they are, not asked again") {
  ContextFileCache cache;
  // Made-up paths: only the remembered answer can give these.
  cache.remember_real_paths({{"/nowhere/repo/web", "/elsewhere/repo/web"}, {"/nowhere/repo", "/elsewhere/repo"}});
  CHECK(cache.real_path("/nowhere/repo/web") == "/elsewhere/repo/web");
  CHECK(cache.real_path("/nowhere/repo") == "/elsewhere/repo");
  CHECK(cache.real_path("/nowhere/other").empty());  // not remembered: asked, and missing
}

TEST_CASE("build context: a listed folder's files, links and ignored files are told apart as lstat would") {
  // Plain files are known from the folder's listing alone; links are asked of the disk.
  TempTree outside;
  outside.write("secret.sh", "#!/bin/sh\necho outside\n");
  TempTree tree;
  tree.write("real.sh", "#!/bin/sh\nexec app\n");
  tree.write("conf/app.conf", "port 80\n");
  tree.write("conf/skip.tmp", "scratch\n");
  tree.write("conf/nested/more.conf", "port 81\n");
  tree.write(".dockerignore", "conf/*.tmp\n");
  fs::create_symlink(outside.path("secret.sh"), tree.path("conf/escape.sh"));
  fs::create_symlink(tree.path("real.sh"), tree.path("conf/inside.sh"));
  fs::create_symlink(tree.path("missing.sh"), tree.path("conf/dangling.sh"));
  Built built = build(tree, "Dockerfile", "FROM alpine\nCOPY conf /etc/app/\n");
  const BuildContext& context = *built.dockerfile.build_context;
  CHECK(image_paths(context.copied_files()) ==
        std::vector<std::string>{"/etc/app/app.conf <- conf/app.conf", "/etc/app/inside.sh <- conf/inside.sh",
                                 "/etc/app/nested/more.conf <- conf/nested/more.conf"});
  // files_copied_to shares the answers the listing kept.
  CHECK(image_paths(context.files_copied_to("/etc/app/app.conf")) ==
        std::vector<std::string>{"/etc/app/app.conf <- conf/app.conf"});
  CHECK(context.files_copied_to("/etc/app/skip.tmp").empty());
  CHECK(context.files_copied_to("/etc/app/escape.sh").empty());
}

TEST_CASE("build context: COPY --from an earlier stage follows that stage's files to the context") {
  TempTree tree;
  tree.write("bin/docker-entrypoint", "#!/bin/bash -e\n./bin/rails db:prepare\nexec \"$@\"\n");
  tree.write("bin/rails", "#!/usr/bin/env ruby\n");
  tree.write("config/puma.rb", "workers 2\n");
  tree.write("scripts/start.sh", "#!/bin/sh\nexec puma\n");
  // The layout `rails new` generates: the app copied into a build stage, then copied whole.
  Built built = build(tree, "Dockerfile",
                      "FROM ruby:3.4-slim AS base\n"
                      "WORKDIR /rails\n"
                      "FROM base AS build\n"
                      "COPY . .\n"
                      "COPY scripts/start.sh /usr/local/bin/start\n"
                      "FROM base\n"
                      "COPY --from=build /rails /rails\n"
                      "COPY --from=build --chmod=0755 /usr/local/bin/start /usr/local/bin/\n"
                      "COPY --from=ruby:3.4 /usr/local/bin/ruby /usr/local/bin/ruby\n"
                      "ENTRYPOINT [\"/rails/bin/docker-entrypoint\"]\n");
  const BuildContext& context = *built.dockerfile.build_context;
  CHECK(image_paths(context.files_copied_to("/rails/bin/docker-entrypoint")) ==
        std::vector<std::string>{"/rails/bin/docker-entrypoint <- bin/docker-entrypoint"});
  // Relative to the final stage's WORKDIR, and found on the PATH.
  CHECK(image_paths(context.files_run_as("./bin/rails")) == std::vector<std::string>{"/rails/bin/rails <- bin/rails"});
  std::vector<ContextFile> start = context.files_run_as("start");
  REQUIRE(start.size() == 1);
  CHECK(start[0].display_path == "scripts/start.sh");
  CHECK(start[0].image_path == "/usr/local/bin/start");
  CHECK(start[0].mode == 0755u);
  // From an image, not a stage: not in the context.
  CHECK(context.files_copied_to("/usr/local/bin/ruby").empty());
  // Every file the final image gets, where it lands there.
  std::vector<std::string> listed = image_paths(context.copied_files());
  CHECK(std::find(listed.begin(), listed.end(), "/rails/config/puma.rb <- config/puma.rb") != listed.end());
  CHECK(std::find(listed.begin(), listed.end(), "/usr/local/bin/start <- scripts/start.sh") != listed.end());
  CHECK(std::find(listed.begin(), listed.end(), "/rails/Dockerfile <- Dockerfile") != listed.end());
}

TEST_CASE("build context: COPY --from a later stage, itself or a missing one brings nothing") {
  TempTree tree;
  tree.write("run.sh", "#!/bin/sh\n");
  Built built = build(tree, "Dockerfile",
                      "FROM alpine:3.22 AS first\n"
                      "COPY --from=second /run.sh /run.sh\n"
                      "COPY --from=first /run.sh /again.sh\n"
                      "COPY --from=nowhere /run.sh /nowhere.sh\n"
                      "FROM alpine:3.22 AS second\n"
                      "COPY run.sh /run.sh\n");
  const BuildContext& context = *built.dockerfile.build_context;
  const Stage* first = built.dockerfile.find_stage("first");
  CHECK(context.files_copied_to("/run.sh", first).empty());
  CHECK(context.files_copied_to("/again.sh", first).empty());
  CHECK(context.files_copied_to("/nowhere.sh", first).empty());
  CHECK(context.copied_files(first).empty());
  CHECK(image_paths(context.files_copied_to("/run.sh")) == std::vector<std::string>{"/run.sh <- run.sh"});
}
