resource "google_cloud_scheduler_job" "schedule" {
  for_each = local.schedules
  name     = each.key
  region   = var.region
  schedule = each.value.cron
  retry_config {
    retry_count = 0 # the next tick is the retry
  }
  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.fn[each.value.function].service_config[0].uri
    oidc_token {
      service_account_email = google_service_account.invoker.email
      audience              = google_cloudfunctions2_function.fn[each.value.function].service_config[0].uri
    }
  }
}
