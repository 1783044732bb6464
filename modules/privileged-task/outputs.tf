output "request_ids" {
  description = "Sorted ids of the requests this module has run (or will run at this apply)."
  value       = sort(keys(terraform_data.this))
}

output "requests" {
  description = "The recorded requests keyed by request id: task, account_id, buckets, queue_urls, dry_run, request_id."
  value       = { for id, request in terraform_data.this : id => request.output }
}
