#pragma once
#include <string>
#include <vector>

namespace shiftlint::cli {

// `shiftlint parity [PATH] [--format text|json] [--config FILE] [--output FILE] [--jobs N]`: per
// linked app, what the old Elastic Beanstalk host configured and where each item lives now, or that
// it is missing (report/parity_report.h). A report, not a gate: exit 0 whatever it finds (also when
// there is no EB app), 2 on usage or configuration errors.
int run_parity_command(const std::vector<std::string>& args);

}  // namespace shiftlint::cli
