terraform {
  backend "local" {}
}
variable "image_tag" {
  type    = string
  default = "latest"
}
variable "platform_version" { default = "LATEST" }
locals {
  env   = { for k, v in { DB_HOST = "db", TZ = "Asia/Tokyo" } : k => v if v != "" }
  names = [for i in range(3) : format("worker-%02d", i)]
  tpl   = <<-EOT
    %{ for n in local.names }${n}
    %{ endfor }
  EOT
}
resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  cpu                      = 256
  memory                   = 1024
  container_definitions = jsonencode([{
    name        = "app"
    image       = "web:${var.image_tag}"
    essential   = true
    environment = [for k, v in local.env : { name = k, value = v }]
    stopTimeout = try(tonumber("x"), 150)
  }])
}
resource "aws_ecs_service" "app" {
  count            = length(local.names) > 1 ? 1 : 0
  name             = element(local.names, 0)
  launch_type      = "FARGATE"
  platform_version = var.platform_version
  task_definition  = aws_ecs_task_definition.app.arn
  deployment_controller { type = "CODE_DEPLOY" }
}
