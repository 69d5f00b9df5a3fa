// The hand-written shell reader against tree-sitter-bash: for every text it accepts where
// tree-sitter reports no error, the Script must be identical field by field
// (bench/script_difference.h); whatever it declines goes to tree-sitter. Where tree-sitter reports
// an error on valid shell (`${X:+(a)}`, `fi fi`), the reader gives what the shell means: such texts
// must pass `bash -n` (bench/bash_syntax.h) and their Scripts are checked against a twin text of
// the same length that tree-sitter reads without error, or command by command.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzer/parse/shell/shell_parser.h"
#include "analyzer/parse/shell/shell_reader.h"
#include "bench/bash_syntax.h"
#include "bench/script_difference.h"

using namespace shiftlint;

namespace {

struct Outcome {
  bool accepted = false;
  bool tree_sitter_error = false;  // tree-sitter reports a syntax error in the text
  std::vector<std::string> differences;
};

Outcome compare(const std::string& text) {
  SourceFile file("script.sh", "script.sh", text);
  TextMap map = shell::text_map_of_range(file, 0, file.text().size());
  std::optional<shell::Script> expected = shell::parse_shell_with(file, map, shell::ShellFrontEnd::TreeSitter);
  std::optional<shell::Script> actual = shell::parse_shell_with(file, map, shell::ShellFrontEnd::HandWrittenOnly);
  Outcome outcome;
  outcome.accepted = actual.has_value();
  outcome.tree_sitter_error = expected->has_syntax_errors;
  // Whatever the reader did, the automatic choice must give tree-sitter's Script.
  shell::Script automatic = shell::parse_shell(file, map);
  shell::ScriptComparison comparison;
  comparison.script(*expected, actual ? *actual : automatic);
  if (!actual) {
    shell::ScriptComparison fallback;
    fallback.script(*expected, automatic);
    comparison.differences.insert(comparison.differences.end(), fallback.differences.begin(),
                                  fallback.differences.end());
  }
  outcome.differences = std::move(comparison.differences);
  return outcome;
}

void require_same(const std::vector<std::string>& texts, bool must_accept) {
  for (const std::string& text : texts) {
    INFO("text: [" << text << "]");
    Outcome outcome = compare(text);
    for (const std::string& difference : outcome.differences) UNSCOPED_INFO(difference);
    CHECK(outcome.differences.empty());
    CHECK(outcome.accepted == must_accept);
    // A text tree-sitter rejects and the reader accepts belongs in require_valid_shell below.
    CHECK(!(outcome.accepted && outcome.tree_sitter_error));
  }
}

shell::Script reader_script(const std::string& text) {
  SourceFile file("script.sh", "script.sh", text);
  TextMap map = shell::text_map_of_range(file, 0, file.text().size());
  std::optional<shell::Script> read = shell::parse_shell_with(file, map, shell::ShellFrontEnd::HandWrittenOnly);
  REQUIRE(read);
  return *read;
}

// Valid shell tree-sitter-bash reports an error on: bash accepts it, the reader accepts it without
// an error, and the automatic choice takes the reader's Script. `twin`: the same text with the
// characters tree-sitter trips on replaced, at the same offsets (`fi fi` -> `fi;fi`), which
// tree-sitter reads without error and to the Script the reader must give (empty: no twin; the
// caller checks the commands).
void require_valid_shell(const std::string& text, const std::string& twin = {}) {
  INFO("text: [" << text << "]");
  Outcome outcome = compare(text);
  CHECK(outcome.accepted);
  CHECK(outcome.tree_sitter_error);
  std::optional<bool> valid = shell::bash_accepts_syntax(text);
  REQUIRE(valid.has_value());
  CHECK(*valid);
  shell::Script read = reader_script(text);
  CHECK_FALSE(read.has_syntax_errors);
  SourceFile file("script.sh", "script.sh", text);
  shell::Script automatic = shell::parse_shell(file, shell::text_map_of_range(file, 0, file.text().size()));
  shell::ScriptComparison same;
  same.script(read, automatic);
  for (const std::string& difference : same.differences) UNSCOPED_INFO("automatic: " << difference);
  CHECK(same.differences.empty());
  if (twin.empty()) return;
  INFO("twin: [" << twin << "]");
  REQUIRE(twin.size() == text.size());
  SourceFile twin_file("script.sh", "script.sh", twin);
  std::optional<shell::Script> expected = shell::parse_shell_with(
      twin_file, shell::text_map_of_range(twin_file, 0, twin.size()), shell::ShellFrontEnd::TreeSitter);
  REQUIRE(expected);
  CHECK_FALSE(expected->has_syntax_errors);
  shell::ScriptComparison comparison;
  comparison.script(*expected, read);
  for (const std::string& difference : comparison.differences) UNSCOPED_INFO(difference);
  CHECK(comparison.differences.empty());
}

}  // namespace

TEST_CASE("shell reader: simple commands, words and quoting parse exactly as tree-sitter parses them") {
  require_same(
      {
          "",
          "# only a comment\n",
          "apt-get update",
          "echo a   b\tc\n",
          "echo 'single quoted' \"double $HOME ${PATH} $1 $@ $? $$ $# $!\" $'ansi\\n\\x41\\101'",
          "echo \"a\\\"b\\\\c\\$d\\`e\" 'it'\\''s' a\\ b \\$x \\\\",
          "echo --opt=\"a b\" x=1 a{b,c} {} \\; a[1] ~/x *.txt",
          "echo \"$\" \"a$\" \"${x:-default}\" \"${#x}\" \"${x%/*}\" \"${x##*/}\"",
          "echo ${x:-y}z $x$y \"$x\"'$y'\"z\"",
          "echo \"multi\nline\" 'also\nmulti'",
          "echo $((1 + 2)) \"$(( x * 3 ))\"",
          "find . -name '*.pyc' -exec rm -f {} + ; echo done",
          "echo a # a comment\necho b",
          "echo a \\\n  b \\\n  c",
          "echo a \\\n  # a comment line after a continuation\necho b",
      },
      true);
}

TEST_CASE("shell reader: lists, pipelines, background jobs and separators") {
  require_same(
      {
          "a && b || c",
          "a && b && c && d && e",
          "a | b | c",
          "a |& b",
          "a | b && c | d || e",
          "! a | b",
          "! grep -q x file && echo missing",
          "a & b & wait",
          "a; b; c;",
          "nginx -g 'daemon off;' &\nexec php-fpm",
          "a &&\n  b ||\n  c",
          "a && # why\n  b",
          "a |\n  b",
          "set -eux; apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && "
          "rm -rf /var/lib/apt/lists/*",
          "set -o pipefail && curl -fsSL https://example.com/x | tar -xz -C /opt",
      },
      true);
}

TEST_CASE("shell reader: redirections, descriptors and here-strings") {
  require_same(
      {
          "cmd > out 2>&1",
          "cmd >> log 2>> err < in",
          "cmd &> all &>> both",
          "cmd 2>/dev/null || true",
          "exec 3>&- 4<&-",
          "cmd >| forced",
          "cmd 1>&2",
          "cmd > f extra words after the target",
          "a && b > f",
          "a | b > f | c",
          "a > f && b > g",
          "cat <<< \"$x\" 2>/dev/null",
          "read -r a b <<< 'x y' && echo $a",
          "echo a > \"$(dirname x)/y\"",
      },
      true);
}

TEST_CASE("shell reader: assignments, declarations and substitutions") {
  require_same(
      {
          "A=1",
          "A=1 B=2",
          "A= B=",
          "A+=x",
          "TZ=UTC date",
          "A=1 B=\"two words\" env",
          "PATH=$PATH:/opt/bin",
          "export A=1 B \"C=$x\" && local -r y=$(z) && unset A B",
          "export PATH=\"/opt/bin:$PATH\"",
          "declare -x A=1; readonly B; typeset C=3",
          "X=$(id -u) && echo \"$(whoami) `hostname`\"",
          "echo $(a $(b c) \"$(d)\")",
          "VERSION=$(curl -s https://example.com | grep -o 'v[0-9.]*' | head -1)",
          "echo `date`",
          "sh -c 'apt-get update && apt-get install -y curl'",
          "su app -c \"exec gunicorn app:app\"",
          "bash -c \"set -e; echo \\\"nested\\\" && sh -c 'echo deeper'\"",
          "set -e -o pipefail +x",
      },
      true);
}

TEST_CASE("shell reader: a command name of `@` and name characters is one word, as to tree-sitter") {
  // docker-library mysql's Dockerfile.oracle template: jq's `@sh` after a pipe.
  require_same(
      {
          "{ echo 'name=MySQL'; echo {{ \"baseurl=\" + .oracle.repo + \"/$basearch/\" | @sh }}; } | tee /etc/x.repo",
          "@sh x; a | @b/c.d-e 2>&1 && @_ >f",
      },
      true);
  SourceFile file("script.sh", "script.sh", "a | @sh }}");
  shell::Script script = shell::parse_shell(file, shell::text_map_of_range(file, 0, file.text().size()));
  REQUIRE(script.commands.size() == 2);
  CHECK(script.commands[1].name.value == "@sh");
  CHECK(script.commands[1].in_pipeline);
}

TEST_CASE("shell reader: a `$NAME` as a word's third piece ends the word where tree-sitter ends it") {
  // tree-sitter ends `a/$b/$c/d` after the second `$` (kept as text) and starts a new word at `c`;
  // `{ } [ ]` are pieces of their own in that count; `:` and `=` after the name keep one word.
  require_same(
      {
          "curl -fsSL https://example.com/pcre/$V/pcre-$V.tar.gz | tar xz",
          "cp nginx-$NGINX_VERSION/debian/control /tmp/ && echo a$b$c/d $b$c/d",
          "echo a/$b/$c a/$b/$c:d a/$b/$c=d a/$b/${c}/d x$b/$c\"d\" a/$b/$c/$d/e",
          "echo {}$a/x [a]$c/x x{}$a/x a[1]$b$c.x",
          "x=a/$b/$c/d",
          "export x=a/$b/$c/d y",
          "echo > a/$b/$c/d",
          "for i in a/$b/$c/d; do x; done",
          "cat <<< a/$b/$c/d",
      },
      true);
  require_same(
      {
          "@x:y x",
          "x=1 @x:y x",
          "a | @a-b}} x",
          "git fetch $remote pull/$1/head:review-$1",
          "echo a/$b/$@/x a/$b/$_/x",
          "echo a/$b/$c+x",
          "echo a/$b/$c?x",
          "$c\"q\"$X: x",
          "--opt=$x y",
          "x@% y",
          "echo =~$x",
      },
      false);
}

TEST_CASE("shell reader: a line ending in a long pipeline, as tree-sitter joins what follows it") {
  // tree-sitter reads `a | b | c`, a line break, `d && e` as `a | b | c d && e` (and the same with a
  // redirection) until a `;`, `&`, subshell, function or closing keyword settles it: the reader
  // leaves those texts to it, and reads the settled ones itself.
  require_same(
      {
          "a | b | c\nd\n",
          "a | b | c\nd; e\nf >g && h\n",
          "a | b | c\nd &\nf >g\n",
          "a | b | c\n( e )\nf >g\n",
          "a | b | c\nf() { y; }\nf >g\n",
          "f() {\n  find . | sort | xargs\n  echo\n}\nusage >&2\n",
          "if x; then\n  a | b | c\nfi\nd >f\n",
          "x && a | b | c\n",
          "a | b\nd && e >f\n",
      },
      true);
  require_same(
      {
          "a | b | c\nd && e\n",
          "a | b | c\nd\ne >f\n",
          "x && a | b | c\nd || e\n",
          "a | b | c >x\nd >f # c\n",
          "echo $(a | b | c\nd >f)\n",
          "a | b | c\nd <<EOF\nx\nEOF\n",
          "a | b | c\n{\nd && e\n}\n",
          "{\ng | a | b\n}\n{\nd 2>&1 c;\n}",
          "{\ng | a | b\n} >f\n! { a; }\n",
          "a | b | c\nif x\nthen d && e\nfi\n",
          "if x; then\n a | b | c\nelse\n e >f\nfi\n",
          "b | b | b | b >f || { a; } &\n",
          "x=1 2>&1 && d",
          "printf \"${sp:i++%${#sp}:1}\"",
      },
      false);
}

TEST_CASE("shell reader: a pipeline of three or more stages before `&&` or `||` is read as the shell reads it") {
  // tree-sitter-bash 0.25 nests `a | b | c && d` as a pipeline whose last stage is the list
  // `c && d`, and depending on how its parser versions merge, commands further right look like
  // pipeline stages too. The reader reads these texts as the shell does when they are the text's
  // last statement and no stage is redirected: the commands after an `&&` or `||` are not stages.
  struct Case {
    std::string text;
    std::vector<bool> in_pipeline;  // by command, in order
  };
  std::vector<Case> cases = {
      {"a | b | c && d", {true, true, true, false}},
      {"{ a; } && b | c | d | e | f && g && h", {false, true, true, true, true, true, false, false}},
      {"x && a | b | c || d | e && f\n# done\n", {false, true, true, true, true, true, false}},
      {"set -e; a | b | c && d | e", {false, true, true, true, true, true}},
  };
  for (const Case& test : cases) {
    INFO("text: [" << test.text << "]");
    SourceFile file("script.sh", "script.sh", test.text);
    TextMap map = shell::text_map_of_range(file, 0, file.text().size());
    std::optional<shell::Script> read = shell::parse_shell_with(file, map, shell::ShellFrontEnd::HandWrittenOnly);
    REQUIRE(read.has_value());
    REQUIRE(read->commands.size() == test.in_pipeline.size());
    for (size_t i = 0; i < test.in_pipeline.size(); ++i) {
      INFO("command " << i);
      CHECK(read->commands[i].in_pipeline == test.in_pipeline[i]);
    }
    // Everything else is tree-sitter's Script.
    Outcome outcome = compare(test.text);
    for (const std::string& difference : outcome.differences) {
      INFO(difference);
      CHECK(difference.find("].in_pipeline: tree-sitter 1, reader 0") != std::string::npos);
    }
  }
  // A redirection after the list's later commands (discourse's vips checks): tree-sitter spreads it
  // over the pipeline's stages; the reader gives it to its command, as tree-sitter does on the twin
  // text with `; ` for the `&&` (same offsets), whose Script is the reader's but for the connector.
  std::vector<std::pair<std::string, std::string>> redirected = {
      {"a | b | c && d >f", "a | b | c ;  d >f"},
      {"a | b | c && d >/dev/null && rm x || e 2>&1", "a | b | c ;  d >/dev/null && rm x || e 2>&1"},
  };
  for (const auto& [text, twin] : redirected) {
    INFO("text: [" << text << "]");
    SourceFile file("script.sh", "script.sh", text);
    SourceFile twin_file("script.sh", "script.sh", twin);
    std::optional<shell::Script> read = shell::parse_shell_with(
        file, shell::text_map_of_range(file, 0, text.size()), shell::ShellFrontEnd::HandWrittenOnly);
    std::optional<shell::Script> expected = shell::parse_shell_with(
        twin_file, shell::text_map_of_range(twin_file, 0, twin.size()), shell::ShellFrontEnd::TreeSitter);
    REQUIRE(read);
    REQUIRE(expected);
    CHECK_FALSE(expected->has_syntax_errors);
    shell::ScriptComparison comparison;
    comparison.script(*expected, *read);
    REQUIRE(comparison.differences.size() == 1);
    CHECK(comparison.differences[0] == "commands[3].connector: tree-sitter 1, reader 2");
    REQUIRE(read->commands.size() >= 4);
    CHECK(read->commands[2].redirections.empty());
    CHECK(read->commands[3].redirections.size() == 1);
  }
  // Elsewhere what follows such a list, or a redirection in it, lands where tree-sitter's merges put
  // it: left to tree-sitter.
  require_same(
      {
          "a | b | c && d\ne",
          "a | b | c && d; e",
          "a | b | c && d &",
          "a | b 2>x | c && d",
          "a | b | c >f && d",
          "a | b | c && d >f; e",
          "a | b | c && d >f &",
          "x=$(a | b | c && d >f)",
          "a | b | c && d >f <<EOF\nx\nEOF\n",
          "a | b | c && cat <<EOF\nx\nEOF\n",
          "( a | b | c && d )",
          "x=$(a | b | c && d)",
          "{ a | b | c && d; }",
          "case x in y) a | b | c && d ;; esac",
      },
      false);
}

TEST_CASE("shell reader: arrays, `$(< file)`, negations, `$` as text and quoted test patterns as tree-sitter reads them") {
  require_same(
      {
          "grep -Eq \"^Current: = .*,?${1}(,|$)\" \"a$|b\" \"$)\" \"$/\" \"a$\" \"$:\" \"$'\"",
          "if [[ \"$1\" == \"--\"* ]] || [[ \"$1\" = '-'* ]] || [[ \"${PWD}/\" == \"/home/\"* ]]; then x; fi",
          "a=(x \"y z\" $v) && echo \"${a[@]}\"",
          "b=() c=( ) d+=(x)",
          "local args=()\nexport e=(x) f=1",
          "g=(\n  x \\\n  y # a comment\n  \"$(date)\"\n)\nh=(--opt=x k=v ${x:-y} 'q' $((1+2)) a/$b/$c/d)",
          "cmd=(\"$@\"); x=1 g=(y) run",
          "if [ $# -eq 0 ]; then\n  cmd=(\"bash\")\nelse\n  cmd=(\"$@\")\nfi",
          "val=\"$(< \"${!fileVar}\")\" && x=$(<f) && echo $( < \"$f\" )",
          "set -eux; ! { ldd \"$extDir\"/*.so | grep 'not found'; }; err=1",
          "! { a; } && b",
          "if ! configDump=\"$(containerd config dump 2>/dev/null)\"; then x; fi",
      },
      true);
  require_same(
      {
          "[[ \"$x\" == \"a\"*\"b\" ]]",
          "[[ $x == $y* ]]",
          "a=(x)y",
          "a=((x))",
          "x=$(< f 2>/dev/null)",
          "{ ! { a; }; }",
          "! { a; } }",
          "! { a; } >f",
      },
      false);
}

TEST_CASE("shell reader: process substitutions and parenthesized tests") {
  require_same(
      {
          "if ! mysqladmin --defaults-extra-file=<( _mysql_passfile ) shutdown -uroot; then x; fi",
          "diff <(sort a) >(tee b) && cmd 2> >(tee log) > >(cat)",
          "while read -r line; do echo \"$line\"; done < <(find . -type f | sort)",
          "echo \"a\"<(b) $a<(c) <(d)e && x=<(f) y",
          "if [[ -n \"$value\" && ( \"$value\" -lt 1 || \"$value\" -gt 65535 ) ]]; then exit 1; fi",
          "[[ ! ( -f x ) ]] && [ -d /x ]",
          "if [[ $level = \"$LOG_LEVEL_DEBUG\" ]] && [[ $l == \"$(a)\" ]] && [[ \"$-\" == *e* ]]; then echo $- \"$-x\"; fi",
      },
      true);
  require_same(
      {
          "echo 1<(c d)",
          "[[ $l == \"$L\"x ]]",
          "-1[a] x",
          "[ -d / ] && x",
          "[[ -n ^ ]]",
          "[[ ~ == x ]]",
      },
      false);
}

TEST_CASE("shell reader: subscript assignments, keyed array elements and declarations after `!`") {
  require_same(
      {
          "state[$STATE_LOG_LEVEL]=$normalized && a[1]=x b && a[k]+=v",
          "declare -A m[\"$k\"]=$(c) n=([k]=v [$k]=\"$v\") && local -A dirs=( [\"$DATADIR\"]=1 )",
          "for i in 1 2; do s[$i]=x; done; echo \"${s[@]}\"",
          "if ! declare -F _log >/dev/null; then x; fi && ! export y && ! unset z",
      },
      true);
  require_same(
      {
          "a[1]=(x)",
          "export m[ 1]=$(c)",
          "a[$((i+1))]=x",
          "a?b y",
          "[[ -f /= ]]",
      },
      false);
}

TEST_CASE("shell reader: arithmetic commands and regex matches") {
  require_same(
      {
          "(( count++ )) && ((x=$y*2)) || exit 1\nwhile (( i < 3 )); do (( i += 1 )); done",
          "if [[ \"$line\" =~ $REGEX_TO_SKIP ]] || [[ \"$v\" =~ ^4 ]] || [[ $x =~ ^[0-9]+$ ]]; then continue; fi",
          "case \"$reqd_version\" in\n  4\\.2) v=1 ;;\n  4\\.*|5) v=2 ;;\nesac",
      },
      true);
  require_same(
      {
          "(( (a) + 1 ))",
          "(( c = $(d) + 1 ))",
          "[[ $x =~ ] ]]",
          "[[ $x =~ (a|b) ]]",
          "echo \"${testAlias[$repo:$variant]:-}\"",
      },
      false);
}

TEST_CASE("shell reader: where tree-sitter reports errors or nests its own way, the reader declines") {
  // Found by generated texts: the reader read these without tree-sitter's error or nesting.
  require_same(
      {
          "[ \"${#FUNCNAME[@]}\" -ge 2 ] && [ ${#versions[@]} -eq 0 ] && [ \"$a\" = \"x[1]?\" ]",
          "make && curl x \"`mktemp -u`\" y",
          "if [[ $? -eq 0 ]] && [ $# -gt 1 ] && [ \"$@\" ]; then return; fi",
      },
      true);
  require_same(
      {
          "echo $(a=)",
          "! { [ -f x ]; }",
          "[ k=v'' = x ]",
          "[ $b[a] = x ]",
          "[ 1@x = y ]",
          "[ x?y = z ]",
          "make && curl x `mktemp -u` `mktemp -u`",
          "( a | b | c > f )",
          "case x in a) a | b | c > f ;; esac",
      },
      false);
}

TEST_CASE("shell reader: what it does not cover goes to tree-sitter with the same result") {
  require_same(
      {
          "echo (",
          "if",
          "a &&",
          "a ;; b",
          "echo 'unterminated",
          "echo \"unterminated",
          "echo $(unterminated",
          "for ((i = 0; i < 3; i++)); do echo $i; done",
          "select x in a b; do echo $x; done",
          "coproc worker { sleep 1; }",
          "echo {-1..3} {1..3..2}",
          "echo $\"translated\"",
          "echo a\\\nb",
          "echo a\r\nb\r\n",
          "2>/dev/null cmd",
          "echo é",
          "echo \"$ b\"",
          "x=`echo \\`nested\\``",
      },
      false);
}

TEST_CASE("shell reader: a backtick substitution after bare text, and brace ranges, as tree-sitter reads them") {
  // The mariadb docker-entrypoint.sh and discourse's RUN bodies: tree-sitter joins the bare text
  // and the substitution into one word when a blank or a line break follows it.
  require_same(
      {
          "echo 2.0.`date +%Y%m%d` > /VERSION",
          "DATADIR=\"$(\"$@\" --verbose --log-bin-index=`mktemp -u` 2>/dev/null | awk '{ print $2 }')\"",
          "cmd -a /p/`a | b`\n  x",
          "for i in {30..0}; do echo $i; done",
          "echo {1..3} a{01..10} {1..3}b x{1..3}y{1..2} \"a\"{1..3} {1..3}$a",
          "mkdir -p /a/{0..9}{0..9}; A={1..3} cmd",
          "echo \"`a` x `b`\" \"`c`\"",
      },
      true);
  // Elsewhere tree-sitter splits the word, ends it early or reports an error: left to it. In double
  // quotes it reads two backtick substitutions with only blanks between as one (`a``b`, `a` `b`).
  require_same(
      {
          "echo \"`d``d`\" x",
          "sh -c \"echo -` a ` `e`\"",
          "x=\"`d`'`d` \t `d`\"",
          "echo a`b`c",
          "if t A_1`a $b`; then :; fi",
          "cmd -a ^`a | b`| b",
          "echo \"$(echo a!`a; b`)\"",
          "`a`b",
          "echo {1..}",
          "{1..3}",
      },
      false);
}

TEST_CASE("shell reader: a parameter default that is one command substitution, as tree-sitter nests it") {
  // vimagick's shadowsocks CMD: the substitution's commands are walked as nested in the word.
  require_same(
      {
          "ssserver -s \"$SERVER_ADDR\" -k \"${PASSWORD:-$(hostname)}\" -m \"$METHOD\"",
          "date=${DAY-$(date -d yesterday +%F)}",
          "export X=${A:-$( cat /etc/x | head -1 )} && run",
          "echo \"${A:-$(echo \"${B:-$(c; d)}\")}\" x${A:-$(b)}y",
          "[ -z ${A:-$(a && b)} ] || echo `echo ${A:-$(x)}`",
      },
      true);
  // Any operator, text around the substitution, a positional parameter, a substitution in a
  // pattern, in a nested expansion or in double quotes: tree-sitter nests it the same way.
  require_same(
      {
          "echo ${A:=$(hostname)}",
          "echo ${A:+$(hostname)}",
          "echo ${A:-$(hostname)x}",
          "echo ${A:-x$(hostname)}",
          "echo ${1:-$(hostname)}",
          "echo ${PATH//$(echo a)/b} \"${A:-x$(hostname) y}\"",
          "echo ${A:-\"$(hostname)\"} ${A:-${B:-$(c)}}",
          "echo \"${A:+(a $(b) c)}\" ${X:+(a b)} ${X:-)}",
          "LD_LIBRARY_PATH=\"/opt/lib${LD_LIBRARY_PATH:+:$(printenv LD_LIBRARY_PATH)}\" exec app",
      },
      true);
  // An arithmetic expansion, a backtick substitution (no substitution to tree-sitter there, without
  // an error), quotes holding `${`: left to tree-sitter.
  require_same(
      {
          "echo ${A:-$((1 + 2))}",
          "echo ${A:-`hostname`}",
          "echo ${A:-\"${B}$(c)\"}",
          "echo ${A:-'$(c)'}",
      },
      false);
}

TEST_CASE("shell reader: parentheses in a parameter expansion's word are text, where tree-sitter reports an error") {
  // jupyter's start.sh: `${CHOWN_HOME_OPTS:+(chown options: ${CHOWN_HOME_OPTS})}`.
  std::string text =
      "_log_info \"Ensuring /home/${NB_USER} is owned by ${NB_UID} ${CHOWN_HOME_OPTS:+(chown options: "
      "${CHOWN_HOME_OPTS})}\"\nchown ${CHOWN_HOME_OPTS} \"${NB_UID}\" \"/home/${NB_USER}\"";
  require_valid_shell(text);
  shell::Script script = reader_script(text);
  REQUIRE(script.commands.size() == 2);
  CHECK(script.commands[0].name.value == "_log_info");
  REQUIRE(script.commands[0].arguments.size() == 1);
  CHECK(script.commands[0].arguments[0].value ==
        "Ensuring /home/${NB_USER} is owned by ${NB_UID} ${CHOWN_HOME_OPTS:+(chown options: ${CHOWN_HOME_OPTS})}");
  CHECK(script.commands[0].arguments[0].has_expansion);
  CHECK(script.commands[1].name.value == "chown");
  CHECK(script.commands[1].span.begin.line == 2);
  // A substitution inside is walked as nested in the command: `(` then `$(...)`.
  require_valid_shell("echo \"${X:+(a b: ${X})}\"");
  std::string nested = "echo ${X:-(a $(id -u) ${Y})} && echo ${X:-(}";
  require_valid_shell(nested);
  shell::Script inner = reader_script(nested);
  REQUIRE(inner.commands.size() == 3);
  CHECK(inner.commands[0].name.value == "echo");
  CHECK(inner.commands[1].name.value == "id");
  CHECK(inner.commands[1].in_command_substitution);
  CHECK(inner.commands[1].parent == 0);
  CHECK(inner.commands[2].name.value == "echo");
  CHECK(inner.commands[2].connector == shell::Connector::And);
}

TEST_CASE("shell reader: a template placeholder `{{ ... }}` where a command stands is a command named `{{`") {
  // docker-library's Dockerfile templates (mysql's Dockerfile.oracle): to the shell `{{` is a word,
  // not the `{` of a group, where tree-sitter reports an error and loses the commands around it.
  std::string text =
      "set -eux; \t{{ dnf_install }} \"mysql-shell-$MYSQL_SHELL_VERSION\"; \t{{ dnf }} clean all; \t\tmysqlsh --version";
  require_valid_shell(text);
  shell::Script script = reader_script(text);
  REQUIRE(script.commands.size() == 4);
  CHECK(script.commands[0].name.value == "set");
  CHECK(script.commands[1].name.value == "{{");
  REQUIRE(script.commands[1].arguments.size() == 3);
  CHECK(script.commands[1].arguments[0].value == "dnf_install");
  CHECK(script.commands[1].arguments[1].value == "}}");
  CHECK(script.commands[1].arguments[2].value == "mysql-shell-$MYSQL_SHELL_VERSION");
  CHECK(script.commands[2].name.value == "{{");
  CHECK(script.commands[3].name.value == "mysqlsh");
  CHECK(script.commands[3].span.begin.column == 90);
  std::string piped = "x && {{a}} | b; {{- clean -}}";
  require_valid_shell(piped);
  shell::Script pipeline = reader_script(piped);
  REQUIRE(pipeline.commands.size() == 4);
  CHECK(pipeline.commands[1].name.value == "{{a}}");
  CHECK(pipeline.commands[1].connector == shell::Connector::And);
  CHECK(pipeline.commands[2].name.value == "b");
  CHECK(pipeline.commands[2].in_pipeline);
  CHECK(pipeline.commands[3].name.value == "{{-");
  // `{x}`, `{a,b}`, `{{x}}>f` (bash's `{name}>` shape) and a template with `(` (not shell): left to
  // tree-sitter.
  require_same({"{x} b", "{a,b} c", "{{x}}>f", "{{ if .a | f(\"7\") then ( -}}"}, false);
}

TEST_CASE("shell reader: a heredoc before the command name (`RUN <<EOT bash`), where tree-sitter reports an error") {
  // docker/awesome-compose's wasmedge Dockerfiles: bash reads the body as its script. The Script is
  // the one of `bash <<EOT`: the command `bash` with the heredoc, whose body (a backslash-continued
  // line included) is the script bash reads: its commands are nested in `bash`, one level deeper.
  std::string text =
      "<<EOT bash\n    set -ex\n    apt-get install -y \\\n        git\n    rustup target add wasm32-wasi\nEOT\n"
      "echo done";
  require_valid_shell(text);
  shell::Script script = reader_script(text);
  REQUIRE(script.commands.size() == 5);
  const shell::Command& bash = script.commands[0];
  CHECK(bash.name.value == "bash");
  CHECK(bash.arguments.empty());
  CHECK(bash.redirections.empty());
  REQUIRE(bash.heredocs.size() == 1);
  CHECK(bash.heredocs[0].delimiter == "EOT");
  CHECK_FALSE(bash.heredocs[0].quoted);
  CHECK(bash.heredocs[0].terminated);
  CHECK(bash.heredocs[0].operator_span.begin.column == 1);
  // From its first character that is not a blank, as for every heredoc (tree-sitter's convention).
  CHECK(bash.heredocs[0].body.text() ==
        "set -ex\n    apt-get install -y \\\n        git\n    rustup target add wasm32-wasi\n");
  CHECK(bash.heredocs[0].body_span.begin.line == 2);
  CHECK(bash.span.begin.column == 7);
  CHECK(script.commands[1].name.value == "set");
  CHECK(script.commands[2].name.value == "apt-get");
  CHECK(script.commands[2].arguments.size() == 3);  // `git` on the continued line
  CHECK(script.commands[3].name.value == "rustup");
  for (uint32_t nested = 1; nested <= 3; ++nested) {
    CHECK(script.commands[nested].parent == 0);
    CHECK(script.commands[nested].nesting == shell::Nesting::ShellString);
  }
  CHECK(script.commands[3].span.begin.line == 5);
  CHECK(script.commands[4].name.value == "echo");
  CHECK(script.commands[4].parent == shell::kNoParent);
  CHECK(script.commands[4].span.begin.line == 7);
  std::string quoted = "set -e\n<<-'EOF' sh -s x\n\tcd /a\n\tEOF\n";
  require_valid_shell(quoted);
  shell::Script stripped = reader_script(quoted);
  REQUIRE(stripped.commands.size() == 3);  // set, sh, and the `cd` sh reads
  CHECK(stripped.commands[2].name.value == "cd");
  CHECK(stripped.commands[2].parent == 1);
  CHECK(stripped.commands[1].name.value == "sh");
  REQUIRE(stripped.commands[1].arguments.size() == 2);
  REQUIRE(stripped.commands[1].heredocs.size() == 1);
  CHECK(stripped.commands[1].heredocs[0].quoted);
  CHECK(stripped.commands[1].heredocs[0].strip_tabs);
  // More on the line (a redirection, `&&`), no command, a continued line right before the delimiter,
  // in a pipeline: left to tree-sitter.
  require_same(
      {
          "<<EOT cat > /f\nx\nEOT\n",
          "<<EOT\nx\nEOT\n",
          "<<EOT bash -s && echo done\nx\nEOT\n",
          "<<EOT bash\nx \\\nEOT\n",
          "a | <<EOT bash\nx\nEOT\n",
      },
      false);
}

TEST_CASE("shell reader: a closing keyword right after a compound command, where tree-sitter reports an error") {
  // laradock's and vimagick's RUN bodies: `fi`, `done`, `else` after a compound command with only the
  // blanks of joined continuation lines between them. The twin has the `;` the shell does not need.
  require_valid_shell("if a; then if b; then c; fi fi", "if a; then if b; then c; fi;fi");
  require_valid_shell("for a in x; do for b in y; do c; done done && d", "for a in x; do for b in y; do c; done;done && d");
  require_valid_shell("if a; then (b) else c; fi", "if a; then (b);else c; fi");
  require_valid_shell("if a; then { b; } fi", "if a; then { b; };fi");
  require_valid_shell("if x; then a && if b; then c; fi fi && d", "if x; then a && if b; then c; fi;fi && d");
  require_valid_shell("if x; then a | while b; do c; done fi", "if x; then a | while b; do c; done;fi");
  require_valid_shell("while (a) do b; done; { (c) }; if { d; } then e; fi",
                      "while (a);do b; done; { (c);}; if { d; };then e; fi");
  require_valid_shell(
      "set -xe; if [ ${A} = true ]; then apt-get -y install wget &&     if [ $(php -v) = \"5\" ]; then       "
      "curl -o /tmp/a.tgz https://a;     else       curl -o /tmp/a.tgz https://b;     fi     && mkdir -p /tmp/a     "
      "&&     if [ $(php -v) = \"5\" ]; then       (           cd /tmp/a && make install       )     else       "
      "(           cd /tmp/b && make install       )     fi     && rm /tmp/a.tgz ;fi",
      "set -xe; if [ ${A} = true ]; then apt-get -y install wget &&     if [ $(php -v) = \"5\" ]; then       "
      "curl -o /tmp/a.tgz https://a;     else       curl -o /tmp/a.tgz https://b;     fi     && mkdir -p /tmp/a     "
      "&&     if [ $(php -v) = \"5\" ]; then       (           cd /tmp/a && make install       );    else       "
      "(           cd /tmp/b && make install       );    fi     && rm /tmp/a.tgz ;fi");
  // After a simple command `fi` is an argument, as to tree-sitter.
  require_same({"if a; then b fi; fi"}, true);
  // Redirected (`{ a; } >f fi`, which bash rejects too), or after `[ ]`, a command whose arguments
  // `fi` would join: declined, left to tree-sitter.
  require_same({"if x; then { a; } >f fi", "if x; then (a) 2>&1 fi", "if x; then [ a ] fi; fi"}, false);
}

TEST_CASE("shell reader: a backslash-blank after an operator, skipped as tree-sitter skips it") {
  // vimagick's ansible RUN: `&& \ ` then the next line's command, joined by the Dockerfile's own
  // line continuation.
  require_same(
      {
          "apt install -y sudo && \\ useradd -rm -d /home/ubuntu test",
          "a || \\  \\ b && c",
          "a | \\ b | c",
          "a && \\ \n  b",
          "a && \\ x\n b",
      },
      true);
  // After a line break, or where a statement starts, tree-sitter reads it another way: left to it.
  require_same(
      {
          "a\n\\  b",
          "a &&\n\\ b",
          "a; \\ b",
          "\\ a",
      },
      false);
}

TEST_CASE("shell reader: compound commands, functions and tests") {
  require_same(
      {
          "if [ -f /x ]; then a; elif [ -d /y ]; then b; else c; fi",
          "if [ \"$1\" = 'nginx' ]\nthen\n  exec nginx -g 'daemon off;'\nfi\nexec \"$@\"",
          "if ! command -v curl >/dev/null 2>&1; then apt-get install -y curl; fi",
          "for f in /docker-entrypoint.d/*.sh \"$x\"; do . \"$f\"; done",
          "for arg\ndo\n  echo \"$arg\"\ndone",
          "while read -r line; do echo \"$line\"; done < file",
          "until pg_isready; do sleep 1; done && echo up",
          "case \"$1\" in\n  -*) set -- app \"$@\" ;;\n  (web|worker) x; y ;;\n  *) exec \"$@\"\nesac",
          "case $x in a) ;; esac",
          "case \"$arch\" in\n  amd64 | arm64) apt-get update; ;;\n  *) echo other; ;;\nesac",
          "cp x \"$PHP_INI_DIR/conf.d/${iniName:-\"docker-php-ext-$ext.ini\"}\"",
          "{ a; b; } > log 2>&1",
          "(cd /src && make) && rm -rf /src",
          "f() { echo \"$@\"; }\nfunction g { f 1; }\nfunction h() ( cd /x; ls )\ng",
          "_main() {\n  if [ \"${1:0:1}\" = '-' ]; then\n    set -- mysqld \"$@\"\n  fi\n  exec \"$@\"\n}\n_main \"$@\"",
          "[ -f x ] && [[ $a == b* ]] || [ \"$(id -u)\" -ne 0 ]",
          "[ ! -f x ] && [[ -n $a && -z \"$b\" ]]",
          "[ -z \"$a\" -o -n \"$b\" ] && [ \"$a\" = b -a \"$c\" != d ]",
          "! [ -d /x ] && mkdir /x",
          "if [ \"$(ls -A /data)\" ]; then echo \"$(date) not empty\"; fi",
      },
      true);
}

TEST_CASE("shell reader: heredocs") {
  require_same(
      {
          "cat <<EOF > /etc/app.conf\nhome=$HOME\n  indented\nEOF\necho done",
          "cat <<'EOF' | sh && echo done\n$(not run) `nor this`\nEOF\n",
          "cat <<-\"EOF\"\n\tstripped\n\tEOF\n",
          "a && cat <<EOF\nx\nEOF\n",
          "cat <<EOF -\n  x\nEOF",
          "cat > /f <<EOF && chmod +x /f\n#!/bin/sh\nexec app\nEOF\n",
          "if true; then\n  cat <<EOF\nbody\nEOF\nfi",
          // A backslash quotes the delimiter: jessfraz/dockerfiles' gitserver start.sh.
          "cat > \"${HOME}/login\" <<\\EOF\n#!/bin/sh\nprintf '%s\\n' \"Hi $USER! `id`\"\nexit 128\nEOF\nchmod +x f\n",
          "cat <<-\\EOF | sh\n\t$(not run)\n\tEOF\n",
      },
      true);
  // Substitutions in unquoted bodies (backticks are text to tree-sitter there, and so is a `$(`
  // right after indentation it skipped); blank lines before the body are skipped.
  require_same(
      {
          "cat <<EOF\n$(date)\nEOF\n",
          "cat > \"$dir/openssl.cnf\" <<-EOF\n\t[ x509_exts ]\n\tsubjectAltName = $(_tls_san)\n\tEOF\n",
          "cat <<END >f\n\nx $(y) `z` ${a:-$(b)} '$(c)' \"$(d)\"\n  $(uname -r)\nEND\n",
          "cat <<END\n\n$(c)\nEND\n",
          "cat <<'EOF'\n$(not run) `nor this` $\n \nEOF\n",
          "dbAlreadyExists=\"$(\n\tpsql --tuples-only <<-'EOSQL'\n\t\tSELECT 1 FROM pg_database ;\n\tEOSQL\n)\"\n",
      },
      true);
  require_same(
      {
          "cat <<END\nx $(c)\n \nEND\n",
          "cat <<END\nx $l\n\t\nEND\n",
          "cat <<END\n$((1 + 2))\nEND\n",
          "cat <<END\n\\$(x) $$(k)\nEND\n",
          "cat <<END\n$}a\nEND\n",
          "cat <<END\nx $\nEND\n",
          "cat <<END\n${a=b${h:-$(i)}\nEND\n",
          "cat <<END\n$(a\nb)\nEND\n",
          "x=`cat <<EOF\ny\nEOF\n`",
      },
      false);
  // Escapes on a line without `$(` (vimagick's tinc init.sh, jupyter's oracledb recipe): the line
  // gives the body no node either way, and an escaped `\${` is text, not an expansion to close.
  require_same(
      {
          "cat > tinc-up <<_EOF_\n#!/bin/sh\nip link set \\$INTERFACE up\nip addr add ${ADDRESS} dev \\$INTERFACE\n_EOF_\n",
          "cat <<EOF >> \"${HOME}/.bashrc\"\nA=/usr/lib/${V}/client64\nPATH=\"\\${A}/bin:\\${PATH}\"\n"
          "L=\"\\${A}/lib\\${L:+:\\${L}}\"\nexport A\nEOF\n",
          "cat <<EOF\nx\n\\\\$X a\\\"b \\` \nEOF\n",
      },
      true);
  // A body starting with a backslash, which tree-sitter loses (an empty body, or one joined to the
  // command after it): left to it.
  require_same(
      {
          "cat <<EOF\n\\$X\nEOF\necho done",
          "cat <<EOF && y\n\n\\\\$X$X\nEOF\n",
          "x && cat <<-EOF\n\\`${X:-y}\\\"`a`$1\n\nEOF\n",
      },
      false);
  require_same(
      {
          "cat <<EOF\n  EOF\nEOF\n",
          "cat <<EOF\nEOFX\nEOF\n",
          "cat <<EOF\nunterminated\n",
          "cat <<A <<B\na\nA\nb\nB\n",
      },
      false);
}

TEST_CASE("shell parser: a text parsed before gets the same Script, mapped into its own file") {
  // Declined by the reader (an arithmetic for loop), so tree-sitter parses it the first time; the
  // second file holds the same text three lines further down and must get its own positions.
  const std::string script = "set -e\nfor ((i = 0; i < 3; i++)); do :; done\nfor f in a b; do\n  cp \"$f\" /srv/ && echo ok\ndone\n";
  SourceFile first("first.sh", "first.sh", script);
  SourceFile second("second.sh", "second.sh", "#!/bin/sh\n# copied\n\n" + script);
  shell::Script parsed_first = shell::parse_shell(first, shell::text_map_of_range(first, 0, first.text().size()));
  TextMap second_map = shell::text_map_of_range(second, second.text().size() - script.size(), second.text().size());
  shell::Script cached = shell::parse_shell(second, second_map);
  std::optional<shell::Script> fresh = shell::parse_shell_with(second, second_map, shell::ShellFrontEnd::TreeSitter);
  REQUIRE(fresh);
  shell::ScriptComparison comparison;
  comparison.script(*fresh, cached);
  CHECK(comparison.differences.empty());
  REQUIRE(cached.commands.size() == parsed_first.commands.size());
  REQUIRE(cached.commands.size() >= 3);
  CHECK(cached.commands[2].name.value == "cp");
  CHECK(cached.commands[2].span.begin.line == parsed_first.commands[2].span.begin.line + 3);
}

TEST_CASE("shell reader: a long statement costs work linear in its length") {
  // Each `&&`, `|` or redirection wraps the statement read so far in a new parent placed in front
  // of it; inserting those one at a time moved the whole statement every time (20,000 `&& a > f`
  // took seconds), and re-closing a pipeline at each stage recounted every stage before it.
  std::string repeated[] = {" && a > f", " | a", " && a | a > f", " && a", " > f"};
  for (const std::string& piece : repeated) {
    INFO("piece: [" << piece << "]");
    // Past the few operators the reader inserts one by one: the same Script as tree-sitter's.
    std::string short_text = "a";
    for (int i = 0; i < 40; ++i) short_text += piece;
    require_same({short_text + "\n"}, true);

    std::string text = "a";
    for (int i = 0; i < 20000; ++i) text += piece;
    text += "\n";
    shell::SyntaxTree tree;
    size_t steps = 0;
    REQUIRE(shell::read_shell(text, tree, nullptr, &steps));
    CHECK(steps <= 8 * tree.nodes.size());
  }
}
