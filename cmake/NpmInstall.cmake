# Installs the exact packages pinned by a package-lock.json into a folder of the build tree, at
# configure time, with `npm ci --ignore-scripts` (it unpacks packages; no package code runs).
# Re-runs only when the lock file changes (a stamp holds its hash). Used for the tree-sitter
# grammar sources, the SARIF schema validator and the VS Code extension's dependencies.
#
#   shiftlint_npm_install(<source folder with package.json + package-lock.json> <destination> <what, for messages>)
function(shiftlint_npm_install source destination what)
  find_program(NPM_PROGRAM npm REQUIRED)
  set(stamp "${destination}/.installed")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${source}/package-lock.json")
  file(SHA256 "${source}/package-lock.json" lock_hash)
  set(installed_hash "")
  if(EXISTS "${stamp}")
    file(READ "${stamp}" installed_hash)
  endif()
  if(installed_hash STREQUAL lock_hash)
    return()
  endif()
  file(MAKE_DIRECTORY "${destination}")
  file(COPY "${source}/package.json" "${source}/package-lock.json" DESTINATION "${destination}")
  message(STATUS "Installing ${what} with npm ci")
  execute_process(COMMAND "${NPM_PROGRAM}" ci --ignore-scripts --no-audit --no-fund
                  WORKING_DIRECTORY "${destination}" RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "npm ci failed in ${destination}: cannot install ${what}")
  endif()
  file(WRITE "${stamp}" "${lock_hash}")
endfunction()
