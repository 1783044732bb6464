"""Contract tests of the Terraform entry scripts (a package: its module names repeat tests/)."""
