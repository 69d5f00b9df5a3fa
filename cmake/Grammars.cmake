# tree-sitter runtime and grammars, compiled from pinned npm sources (third_party/grammars/package.json
# and its lock file). Debian's libtree-sitter is too old to load these grammars (ABI 15), so we never
# use it. `npm ci --ignore-scripts` only unpacks the packages: no native build, no post-install code.
set(GRAMMARS_DIR "${CMAKE_BINARY_DIR}/grammars")
set(GRAMMARS_SOURCE "${CMAKE_SOURCE_DIR}/third_party/grammars")
set(GRAMMARS_STAMP "${GRAMMARS_DIR}/.installed")
file(SHA256 "${GRAMMARS_SOURCE}/package-lock.json" GRAMMARS_LOCK_HASH)
set(GRAMMARS_INSTALLED_HASH "")
if(EXISTS "${GRAMMARS_STAMP}")
  file(READ "${GRAMMARS_STAMP}" GRAMMARS_INSTALLED_HASH)
endif()
if(NOT GRAMMARS_INSTALLED_HASH STREQUAL GRAMMARS_LOCK_HASH)
  find_program(NPM_PROGRAM npm REQUIRED)
  file(MAKE_DIRECTORY "${GRAMMARS_DIR}")
  file(COPY "${GRAMMARS_SOURCE}/package.json" "${GRAMMARS_SOURCE}/package-lock.json"
       DESTINATION "${GRAMMARS_DIR}")
  message(STATUS "Installing pinned tree-sitter grammar sources with npm ci")
  execute_process(COMMAND "${NPM_PROGRAM}" ci --ignore-scripts --no-audit --no-fund
                  WORKING_DIRECTORY "${GRAMMARS_DIR}" RESULT_VARIABLE NPM_RESULT)
  if(NOT NPM_RESULT EQUAL 0)
    message(FATAL_ERROR "npm ci failed in ${GRAMMARS_DIR}: cannot get the tree-sitter grammar sources")
  endif()
  file(WRITE "${GRAMMARS_STAMP}" "${GRAMMARS_LOCK_HASH}")
endif()

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
