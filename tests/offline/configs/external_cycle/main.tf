terraform {
  required_version = ">= 1.7"
  required_providers {
    external = {
      source  = "hashicorp/external"
      version = ">= 2.3"
    }
  }
}

variable "python" {
  description = "Interpreter running the program."
  type        = string
  default     = "python3"
}

data "external" "echo" {
  program = [var.python, "${path.module}/../program.py", "echo"]
  query = {
    accounts = jsonencode(["222222222222"])
    region   = "us-east-1"
    dropped  = null
  }
}

resource "terraform_data" "audit" {
  input = data.external.echo.result
}

output "query" {
  description = "What the program received on stdin."
  value       = jsondecode(terraform_data.audit.output.query)
}

output "id" {
  description = "The data source id."
  value       = data.external.echo.id
}
