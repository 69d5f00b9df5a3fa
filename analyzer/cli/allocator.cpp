// Routes C++'s operator new and delete to mimalloc (see the allocator note in CMakeLists.txt).
//
// Linking libmimalloc already replaces malloc and free for the whole process, so the C libraries
// (tree-sitter) use it too. This header also defines operator new and delete themselves: a C++
// allocation then reaches mimalloc directly instead of through libstdc++'s operator new and a second
// call, and the link names mimalloc, so a linker that drops unreferenced libraries (--as-needed)
// cannot silently leave the executable on glibc's malloc.
#include <mimalloc-new-delete.h>
