#pragma once
// Services a script starts or enables through an init system: `service nginx start`,
// `systemctl enable --now crond`, `/etc/init.d/php-fpm start`, `rc-service sshd start`,
// `rc-update add crond`, `chkconfig httpd on`, `update-rc.d cron defaults`, `initctl start x`.
//
// In an image there is no init system: a started service is a daemon the container does not wait
// for (DKR015), and an enabled one never starts. On an Elastic Beanstalk host they are real.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/parse/shell/command.h"

namespace shiftlint::shell {

enum class ServiceManager : uint8_t { Service, Systemctl, InitScript, OpenRc, Chkconfig, UpdateRcD, Initctl };
enum class ServiceAction : uint8_t { Start, Restart, Enable };

std::string_view service_manager_name(ServiceManager manager);

struct ServiceStart {
  ServiceManager manager = ServiceManager::Service;
  ServiceAction action = ServiceAction::Start;
  uint32_t command = kNoParent;  // index in Script::commands
  std::string service;           // `nginx` (from `nginx.service`, `/etc/init.d/nginx`)
  const Word* word = nullptr;    // where the service is named
};

// Found once and kept with the Script: the list lives as long as the Script does.
const std::vector<ServiceStart>& find_service_starts(const Script& script);

}  // namespace shiftlint::shell
