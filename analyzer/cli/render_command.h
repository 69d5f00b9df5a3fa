#pragma once
#include <string>
#include <vector>

namespace shiftlint::cli {

// `shiftlint render CHART [--values FILE]... [--set k=v]... [--release-name N] [--namespace NS]
// [--kube-version V] [--api-versions G/V]...`: prints the chart as `helm template` would, so users
// see what shiftlint lints. Exit 0 when every template rendered, 1 when some could not (each one
// named on stderr with its template line), 2 on usage errors or when there is no chart.
int run_render_command(const std::vector<std::string>& args);

}  // namespace shiftlint::cli
