# Copies the VS Code extension's sources into its staged folder in the build tree (where
# node_modules was installed at configure time). Run by the vscode_ext_stage test, before the
# extension's tests, so that they always see the current sources and nothing deleted lingers.
foreach(folder src test out dist)
  file(REMOVE_RECURSE "${DESTINATION}/${folder}")
endforeach()
file(COPY "${SOURCE}/src" "${SOURCE}/test" DESTINATION "${DESTINATION}")
# The build-context names the selector must agree on with the hooks and the server (test/documentSelector.test.ts).
file(COPY "${SOURCE}/../tests/build_context_names.txt" DESTINATION "${DESTINATION}/test")
file(COPY "${SOURCE}/package.json" "${SOURCE}/package-lock.json" "${SOURCE}/tsconfig.json"
          "${SOURCE}/esbuild.mjs" "${SOURCE}/README.md" "${SOURCE}/.vscodeignore"
     DESTINATION "${DESTINATION}")
