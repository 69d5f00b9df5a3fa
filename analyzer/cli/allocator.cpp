// Routes C++'s operator new and delete to mimalloc (see the allocator note in CMakeLists.txt).
//
// Linking libmimalloc already replaces malloc and free for the whole process, so the C libraries
// (tree-sitter) use it too. This header also defines operator new and delete themselves: a C++
// allocation then reaches mimalloc directly instead of through libstdc++'s operator new and a second
// call, and the link names mimalloc, so a linker that drops unreferenced libraries (--as-needed)
// cannot silently leave the executable on glibc's malloc.
#include <mimalloc-new-delete.h>
#include <mimalloc.h>

#include <string_view>

namespace {

// Large (2 MiB) pages for the heap. A run's heap is fresh memory that it fills once: on the 997 real
// Dockerfiles that was about 3,400 page faults, one per 4 KiB page touched, and the kernel's share of
// the run's CPU was a third. With mimalloc asking for transparent huge pages (madvise, which is
// Debian's and most distributions' default), the same run takes about 600 faults and less system
// time, for a few MB more peak RSS (README, performance). Where the kernel has transparent huge pages
// off, the request does nothing. A MIMALLOC_LARGE_OS_PAGES the user sets still wins: mimalloc reads
// its options from the environment, and this only sets the default when the variable is absent.
// mimalloc reads its options once, when it initialises, and that is before the executable's own
// constructors: by then the first segment, which holds most of a small run's heap, is already mapped.
// So the default is set from .preinit_array, which the dynamic linker runs before any shared library's
// initialiser. The C library is not initialised yet either (getenv would see no environment), so the
// environment is read from the pointer the dynamic linker passes.
void prefer_large_pages(int, char**, char** environment) {
  constexpr std::string_view variable = "MIMALLOC_LARGE_OS_PAGES=";
  for (char** entry = environment; entry != nullptr && *entry != nullptr; ++entry) {
    if (std::string_view(*entry).substr(0, variable.size()) == variable) return;
  }
  mi_option_enable(mi_option_large_os_pages);
}

[[gnu::section(".preinit_array"), gnu::used]] void (*const prefer_large_pages_entry)(int, char**, char**) =
    prefer_large_pages;

}  // namespace
