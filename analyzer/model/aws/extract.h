#pragma once
// Infrastructure in JSON and YAML documents, whatever carried it:
// - CloudFormation templates: AWS::ECS::Service, AWS::StepFunctions::StateMachine (Definition),
//   AWS::Events::Rule and AWS::Scheduler::Schedule ECS targets, the VPC pieces (AWS::EC2::VPC,
//   Subnet, RouteTable, NatGateway, VPCEndpoint), load balancers (AWS::ElasticLoadBalancingV2::
//   LoadBalancer, Listener, ListenerRule), AWS::Route53::RecordSet, AWS::KinesisFirehose::DeliveryStream;
// - ECS service definitions: create-service / update-service input, ecspresso's
//   ecs-service-def.json, describe-services output;
// - Amazon States Language files;
// - CodeDeploy appspec files for ECS.
// Task definitions found in the same document (`tasks`) are linked to the RunTask calls and
// services that name them.
#include <vector>

#include "analyzer/model/aws/infrastructure.h"
#include "analyzer/parse/document.h"

namespace shiftlint::aws {

// Call after ecs::extract_task_definitions on the same document (it turns CloudFormation intrinsic
// functions into Unknown nodes). `out` points into the document.
void extract_infrastructure(const Document& document, const std::vector<ecs::TaskDefinition>& tasks,
                            Infrastructure& out);

}  // namespace shiftlint::aws
