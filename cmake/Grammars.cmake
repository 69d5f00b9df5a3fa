# tree-sitter runtime and grammars, compiled from pinned npm sources (third_party/grammars/package.json
# and its lock file). Debian's libtree-sitter is too old to load these grammars (ABI 15), so we never
# use it. `npm ci --ignore-scripts` only unpacks the packages: no native build, no post-install code.
set(GRAMMARS_DIR "${CMAKE_BINARY_DIR}/grammars")
set(GRAMMARS_SOURCE "${CMAKE_SOURCE_DIR}/third_party/grammars")
include("${CMAKE_CURRENT_LIST_DIR}/NpmInstall.cmake")
shiftlint_npm_install("${GRAMMARS_SOURCE}" "${GRAMMARS_DIR}" "the pinned tree-sitter grammar sources")

set(TS_MODULES "${GRAMMARS_DIR}/node_modules")
set(TS_LIB "${TS_MODULES}/tree-sitter/vendor/tree-sitter/lib")
add_library(ts_runtime STATIC "${TS_LIB}/src/lib.c")
target_include_directories(ts_runtime SYSTEM PUBLIC "${TS_LIB}/include"
  PRIVATE "${TS_LIB}/src" "${TS_LIB}/src/wasm")
target_compile_definitions(ts_runtime PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)
set_target_properties(ts_runtime PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
target_compile_options(ts_runtime PRIVATE -O2 -w)

function(shiftlint_grammar target dir)
  set(sources "${dir}/src/parser.c")
  if(EXISTS "${dir}/src/scanner.c")
    list(APPEND sources "${dir}/src/scanner.c")
  endif()
  add_library(${target} STATIC ${sources})
  target_include_directories(${target} PRIVATE "${dir}/src")
  set_target_properties(${target} PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
  # Generated parsers are huge tables; optimising them harder buys nothing and costs minutes.
  target_compile_options(${target} PRIVATE -O1 -w)
  target_link_libraries(${target} PUBLIC ts_runtime)
endfunction()

shiftlint_grammar(ts_json "${TS_MODULES}/tree-sitter-json")
shiftlint_grammar(ts_bash "${TS_MODULES}/tree-sitter-bash")
shiftlint_grammar(ts_hcl "${TS_MODULES}/@tree-sitter-grammars/tree-sitter-hcl")
