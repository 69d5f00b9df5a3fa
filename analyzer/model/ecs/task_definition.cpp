#include "analyzer/model/ecs/task_definition.h"
