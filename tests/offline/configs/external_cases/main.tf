terraform {
  required_providers {
    external = {
      source  = "hashicorp/external"
      version = "2.4.0"
    }
  }
}

variable "python" {
  description = "Interpreter running the program."
  type        = string
}

variable "mode" {
  description = "Behaviour of program.py: echo, nested, number, fail, fail_silent."
  type        = string
}

variable "program" {
  description = "Overrides the program list."
  type        = list(string)
  default     = null
}

variable "working_dir" {
  description = "Program working directory."
  type        = string
  default     = null
}

data "external" "this" {
  program     = coalesce(var.program, [var.python, abspath("${path.module}/../program.py"), var.mode])
  working_dir = var.working_dir
  query = {
    kept    = "yes"
    dropped = null
  }
}

output "result" {
  description = "The program's result."
  value       = data.external.this.result
}
