// fmt's compiled part, built into the engine instead of linked from Debian's libfmt.so.
//
// libfmt.so was the one library that loaded libstdc++.so into the shipped executable once the others
// are linked in statically (CMakeLists.txt, SHIFTLINT_STATIC_LIBRARIES): with it gone, the dynamic
// linker resolves no C++ symbols at start-up. fmt's headers hold every definition (format-inl.h is
// what the library itself compiles); this file gives them one home, and names the two locale helpers
// that only the library instantiates. The headers come from libfmt-dev, whose version CMake checks.
#include <fmt/format-inl.h>

namespace fmt::detail {
template auto thousands_sep_impl<char>(locale_ref) -> thousands_sep_result<char>;
template auto decimal_point_impl<char>(locale_ref) -> char;
}  // namespace fmt::detail
