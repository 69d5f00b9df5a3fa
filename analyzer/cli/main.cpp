#include "analyzer/cli/commands.h"

int main(int argc, char** argv) { return shiftlint::cli::run(argc, argv); }
