#include "analyzer/source/glob.h"

#include <algorithm>
#include <cctype>

namespace shiftlint {
namespace {

constexpr size_t npos = std::string_view::npos;

bool is_wildcard_char(char c) { return c == '*' || c == '?' || c == '['; }

bool in_named_class(std::string_view name, unsigned char c, bool& known) {
  known = true;
  if (name == "alnum") return std::isalnum(c);
  if (name == "alpha") return std::isalpha(c);
  if (name == "blank") return c == ' ' || c == '\t';
  if (name == "cntrl") return std::iscntrl(c);
  if (name == "digit") return std::isdigit(c);
  if (name == "graph") return std::isgraph(c);
  if (name == "lower") return std::islower(c);
  if (name == "print") return std::isprint(c);
  if (name == "punct") return std::ispunct(c);
  if (name == "space") return std::isspace(c);
  if (name == "upper") return std::isupper(c);
  if (name == "xdigit") return std::isxdigit(c);
  known = false;
  return false;
}

struct ClassResult {
  bool valid = false;
  bool matched = false;
  size_t end = 0;  // just after the closing ']'
};

// A bracket expression starting at pattern[open] == '['. Follows git's wildmatch: `!` or `^`
// negates, a ']' right after the opening (or the negation) is literal, `a-z` ranges, `\` escapes,
// `[:alpha:]` classes; a missing ']' or an unknown class makes the whole pattern invalid.
ClassResult match_class(std::string_view pattern, size_t open, unsigned char ch) {
  ClassResult result;
  size_t i = open + 1;
  bool negated = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
    negated = true;
    ++i;
  }
  bool matched = false;
  int previous = -1;  // the previous literal, a possible range start
  do {
    if (i >= pattern.size()) return result;
    auto current = static_cast<unsigned char>(pattern[i]);
    if (current == '\\') {
      if (++i >= pattern.size()) return result;
      current = static_cast<unsigned char>(pattern[i]);
      if (ch == current) matched = true;
      previous = current;
    } else if (current == '-' && previous >= 0 && i + 1 < pattern.size() && pattern[i + 1] != ']') {
      auto last = static_cast<unsigned char>(pattern[++i]);
      if (last == '\\') {
        if (++i >= pattern.size()) return result;
        last = static_cast<unsigned char>(pattern[i]);
      }
      if (ch >= previous && ch <= last) matched = true;
      previous = -1;
    } else if (current == '[' && i + 1 < pattern.size() && pattern[i + 1] == ':') {
      size_t close = pattern.find(":]", i + 2);
      if (close == npos) {  // not a class name after all: a literal '['
        if (ch == current) matched = true;
        previous = current;
      } else {
        bool known = false;
        if (in_named_class(pattern.substr(i + 2, close - i - 2), ch, known)) matched = true;
        if (!known) return result;
        i = close + 1;
        previous = -1;
      }
    } else {
      if (ch == current) matched = true;
      previous = current;
    }
    ++i;
  } while (i < pattern.size() && pattern[i] != ']');
  if (i >= pattern.size()) return result;
  result.valid = true;
  result.matched = matched != negated;
  result.end = i + 1;
  return result;
}

bool wildcard_is_valid(std::string_view pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      if (++i >= pattern.size()) return false;
    } else if (pattern[i] == '[') {
      ClassResult result = match_class(pattern, i, 'a');
      if (!result.valid) return false;
      i = result.end - 1;
    }
  }
  return true;
}

// `*`, `?`, `[...]` and escapes within one path segment (the text holds no '/'). The classic
// greedy match with one backtrack point: linear in practice, O(pattern × text) at worst.
bool wildcard_match(std::string_view pattern, std::string_view text) {
  size_t p = 0;
  size_t t = 0;
  size_t star_p = npos;
  size_t star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size()) {
      char c = pattern[p];
      if (c == '*') {
        while (p < pattern.size() && pattern[p] == '*') ++p;
        star_p = p;
        star_t = t;
        continue;
      }
      if (c == '?') {
        ++p;
        ++t;
        continue;
      }
      if (c == '[') {
        ClassResult result = match_class(pattern, p, static_cast<unsigned char>(text[t]));
        if (!result.valid) return false;
        if (result.matched) {
          p = result.end;
          ++t;
          continue;
        }
      } else {
        size_t literal = p;
        if (c == '\\') {
          if (p + 1 >= pattern.size()) return false;
          literal = p + 1;
        }
        if (pattern[literal] == text[t]) {
          p = literal + 1;
          ++t;
          continue;
        }
      }
    }
    if (star_p == npos) return false;
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::string unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) ++i;
    out.push_back(text[i]);
  }
  return out;
}

// Where a base folder's subtree starts in `path`, or npos when `path` is not below `base`.
size_t relative_offset(std::string_view path, std::string_view base) {
  if (base.empty()) return path.empty() ? npos : 0;
  if (path.size() <= base.size() || path.compare(0, base.size(), base) != 0) return npos;
  if (base.back() == '/') return base.size();
  if (path[base.size()] != '/' || path.size() == base.size() + 1) return npos;
  return base.size() + 1;
}

std::string normalise_base(std::string_view base) {
  while (base.size() > 1 && base.back() == '/') base.remove_suffix(1);
  return std::string(base);
}

}  // namespace

IgnorePattern IgnorePattern::compile(std::string_view body) {
  IgnorePattern pattern;
  if (!body.empty() && body.back() == '/') {
    pattern.directory_only_ = true;
    body.remove_suffix(1);
  }
  pattern.anchored_ = body.find('/') != npos;
  if (!body.empty() && body.front() == '/') body.remove_prefix(1);
  if (body.empty()) {
    pattern.valid_ = false;
    return pattern;
  }

  std::vector<std::string_view> pieces;
  if (!pattern.anchored_) {
    pieces.push_back(body);
  } else {
    size_t start = 0;
    for (size_t i = 0; i <= body.size(); ++i) {
      if (i == body.size() || body[i] == '/') {
        pieces.push_back(body.substr(start, i - start));
        start = i + 1;
      } else if (body[i] == '\\' && i + 1 < body.size()) {
        if (body[i + 1] == '/') {  // an escaped '/' still separates segments, as in git
          pieces.push_back(body.substr(start, i - start));
          start = i + 2;
        }
        ++i;
      }
    }
  }

  for (std::string_view piece : pieces) {
    Segment segment;
    bool has_wildcard = false;
    for (size_t i = 0; i < piece.size(); ++i) {
      if (piece[i] == '\\') {
        if (++i >= piece.size()) pattern.valid_ = false;
      } else if (is_wildcard_char(piece[i])) {
        has_wildcard = true;
      }
    }
    if (piece.size() >= 2 && piece.find_first_not_of('*') == npos) {
      // "**" as a whole segment: any number of folders. Several in a row mean the same as one.
      if (!pattern.segments_.empty() && pattern.segments_.back().kind == SegmentKind::any_depth) {
        continue;
      }
      segment.kind = SegmentKind::any_depth;
    } else if (has_wildcard) {
      segment.kind = SegmentKind::wildcard;
      segment.text = std::string(piece);
      if (!wildcard_is_valid(piece)) pattern.valid_ = false;
      size_t stars = std::min(piece.find_first_not_of('*'), piece.size());
      std::string_view rest = piece.substr(stars);
      if (stars > 0 && rest.find_first_of("*?[\\") == npos) {
        segment.suffix_only = true;
        segment.text = std::string(rest);
      }
    } else {
      segment.kind = SegmentKind::literal;
      segment.text = unescape(piece);
    }
    pattern.segments_.push_back(std::move(segment));
  }

  // A trailing "/**" matches everything inside, but not the folder itself: one or more segments.
  if (pattern.segments_.size() > 1 && pattern.segments_.back().kind == SegmentKind::any_depth) {
    pattern.segments_.back().kind = SegmentKind::any_one;
    pattern.segments_.push_back(Segment{SegmentKind::any_depth, {}, false});
  }
  return pattern;
}

std::optional<IgnorePattern> IgnorePattern::parse_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty() || line.front() == '#') return std::nullopt;

  size_t trailing_spaces = npos;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == ' ') {
      if (trailing_spaces == npos) trailing_spaces = i;
      continue;
    }
    trailing_spaces = npos;
    if (line[i] == '\\') ++i;  // an escaped space is kept
  }
  if (trailing_spaces != npos) line = line.substr(0, trailing_spaces);

  bool negated = false;
  if (!line.empty() && line.front() == '!') {
    negated = true;
    line.remove_prefix(1);
  }
  if (line.empty()) return std::nullopt;
  IgnorePattern pattern = compile(line);
  if (pattern.segments_.empty()) return std::nullopt;
  pattern.negated_ = negated;
  return pattern;
}

IgnorePattern IgnorePattern::parse_glob(std::string_view glob) {
  while (glob.size() >= 2 && glob[0] == '.' && glob[1] == '/') glob.remove_prefix(2);
  return compile(glob);
}

bool IgnorePattern::match_segment(const Segment& segment, std::string_view text) {
  switch (segment.kind) {
    case SegmentKind::literal:
      return segment.text == text;
    case SegmentKind::wildcard:
      if (segment.suffix_only) {
        return text.size() >= segment.text.size() &&
               text.compare(text.size() - segment.text.size(), npos, segment.text) == 0;
      }
      return wildcard_match(segment.text, text);
    case SegmentKind::any_depth:
    case SegmentKind::any_one:
      return true;
  }
  return false;
}

// The same greedy algorithm as wildcard_match, one level up: path segments are the units and
// "**" is the star.
bool IgnorePattern::match_anchored(std::string_view path) const {
  auto segment_at = [&](size_t offset) {
    size_t end = path.find('/', offset);
    return path.substr(offset, end == npos ? npos : end - offset);
  };
  auto next_after = [&](size_t offset) {
    size_t end = path.find('/', offset);
    return end == npos ? npos : end + 1;
  };
  size_t p = 0;
  size_t t = 0;
  size_t star_p = npos;
  size_t star_t = 0;
  while (t != npos) {
    if (p < segments_.size() && segments_[p].kind == SegmentKind::any_depth) {
      star_p = ++p;
      star_t = t;
      continue;
    }
    if (p < segments_.size() && match_segment(segments_[p], segment_at(t))) {
      ++p;
      t = next_after(t);
      continue;
    }
    if (star_p == npos) return false;
    p = star_p;
    star_t = next_after(star_t);
    t = star_t;
  }
  while (p < segments_.size() && segments_[p].kind == SegmentKind::any_depth) ++p;
  return p == segments_.size();
}

bool IgnorePattern::matches(std::string_view relative_path, bool is_directory) const {
  if (!valid_ || relative_path.empty() || (directory_only_ && !is_directory)) return false;
  if (!anchored_) {
    size_t slash = relative_path.rfind('/');
    return match_segment(segments_.front(),
                         slash == npos ? relative_path : relative_path.substr(slash + 1));
  }
  return match_anchored(relative_path);
}

bool glob_match(std::string_view pattern, std::string_view path) {
  IgnorePattern compiled = IgnorePattern::parse_glob(pattern);
  for (size_t slash = path.find('/'); slash != npos; slash = path.find('/', slash + 1)) {
    if (slash > 0 && compiled.matches(path.substr(0, slash), true)) return true;
  }
  return compiled.matches(path, false);
}

void IgnoreRules::add_file(std::string_view base_folder, std::string_view text) {
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.remove_prefix(3);
  RuleSet set{normalise_base(base_folder), {}};
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == npos ? std::string_view() : text.substr(newline + 1);
    if (auto pattern = IgnorePattern::parse_line(line)) set.patterns.push_back(std::move(*pattern));
  }
  if (!set.patterns.empty()) sets_.push_back(std::move(set));
}

void IgnoreRules::add_pattern(std::string_view base_folder, std::string_view line) {
  auto pattern = IgnorePattern::parse_line(line);
  if (!pattern) return;
  std::string base = normalise_base(base_folder);
  if (sets_.empty() || sets_.back().base != base) sets_.push_back(RuleSet{std::move(base), {}});
  sets_.back().patterns.push_back(std::move(*pattern));
}

IgnoreRules::Verdict IgnoreRules::match(std::string_view path, bool is_directory) const {
  for (auto set = sets_.rbegin(); set != sets_.rend(); ++set) {
    size_t offset = relative_offset(path, set->base);
    if (offset == npos) continue;
    std::string_view relative = path.substr(offset);
    for (auto pattern = set->patterns.rbegin(); pattern != set->patterns.rend(); ++pattern) {
      if (pattern->matches(relative, is_directory)) {
        return pattern->negated() ? Verdict::included : Verdict::ignored;
      }
    }
  }
  return Verdict::none;
}

bool IgnoreRules::is_ignored(std::string_view path, bool is_directory) const {
  for (size_t slash = path.find('/'); slash != npos; slash = path.find('/', slash + 1)) {
    if (slash > 0 && match(path.substr(0, slash), true) == Verdict::ignored) return true;
  }
  return match(path, is_directory) == Verdict::ignored;
}

void IgnoreRules::pop_to(size_t depth) {
  if (depth < sets_.size()) sets_.resize(depth);
}

}  // namespace shiftlint
