# Operability from the JSON logs the functions already write (adgenius.observability): log-based
# metrics (API requests and latency, jobs by outcome, item latency per model, provider errors by
# kind, quota refusals, stuck jobs), one dashboard, and alerts for dead letters, API 5xx rate, API
# p95 latency, stuck jobs and spend. Pub/Sub's own metrics count dead letters (no log needed).
# Traces go to Cloud Trace (adgenius.tracing); every log line written in a span carries its
# trace id, so Logs Explorer and Trace link both ways.
locals {
  api_log    = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"api\" AND jsonPayload.http.status>0"
  sweep_log  = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"jobs-sweeper\" AND jsonPayload.message=\"sweep\""
  job_log    = "resource.type=\"cloud_run_revision\" AND jsonPayload.message=\"job finished\""
  item_log   = "resource.type=\"cloud_run_revision\" AND jsonPayload.message=\"item task\" AND jsonPayload.latency_ms>=0"
  quota_log  = "resource.type=\"cloud_run_revision\" AND jsonPayload.message=\"quota refused\""
  channels   = var.alert_email == "" ? [] : [google_monitoring_notification_channel.email[0].id]
  alert_docs = "AdGenius ${var.env}: see the README sections 'Diagnostics' and 'Deploy to Google Cloud'; logs carry correlation_id and the Cloud Trace id to follow one request through every hop."
}

resource "google_monitoring_notification_channel" "email" {
  count        = var.alert_email == "" ? 0 : 1
  display_name = "AdGenius ${var.env} on-call"
  type         = "email"
  labels       = { email_address = var.alert_email }
  depends_on   = [google_project_service.api]
}

resource "google_logging_metric" "api_requests" {
  name   = "adgenius/api_requests"
  filter = local.api_log
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    labels {
      key        = "status_class"
      value_type = "STRING"
    }
  }
  label_extractors = { status_class = "REGEXP_EXTRACT(jsonPayload.http.status, \"^(\\\\d)\")" }
  depends_on       = [google_project_service.api]
}

resource "google_logging_metric" "api_latency" {
  name            = "adgenius/api_latency_ms"
  filter          = local.api_log
  value_extractor = "EXTRACT(jsonPayload.latency_ms)"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "ms"
  }
  bucket_options {
    exponential_buckets {
      num_finite_buckets = 40
      growth_factor      = 1.4
      scale              = 1
    }
  }
  depends_on = [google_project_service.api]
}

resource "google_logging_metric" "jobs_finished" {
  name   = "adgenius/jobs_finished"
  filter = local.job_log
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    labels {
      key        = "status"
      value_type = "STRING"
    }
    labels {
      key        = "kind"
      value_type = "STRING"
    }
  }
  label_extractors = { status = "EXTRACT(jsonPayload.status)", kind = "EXTRACT(jsonPayload.kind)" }
  depends_on       = [google_project_service.api]
}

# One "item task" line per Cloud Task the item handler ran (adgenius.pipeline.steps.on_item_task):
# its latency by model (the queue is per model and engine) and outcome.
resource "google_logging_metric" "item_latency" {
  name            = "adgenius/item_latency_ms"
  filter          = local.item_log
  value_extractor = "EXTRACT(jsonPayload.latency_ms)"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "ms"
    labels {
      key        = "model"
      value_type = "STRING"
    }
    labels {
      key        = "result"
      value_type = "STRING"
    }
  }
  label_extractors = { model = "EXTRACT(jsonPayload.model)", result = "EXTRACT(jsonPayload.result)" }
  bucket_options {
    exponential_buckets {
      num_finite_buckets = 40
      growth_factor      = 1.4
      scale              = 10
    }
  }
  depends_on = [google_project_service.api]
}

# Provider (model) errors by kind (transient, permanent, safety) and type (the error's class).
resource "google_logging_metric" "provider_errors" {
  name   = "adgenius/provider_errors"
  filter = "${local.item_log} AND jsonPayload.error_kind:*"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    labels {
      key        = "kind"
      value_type = "STRING"
    }
    labels {
      key        = "type"
      value_type = "STRING"
    }
    labels {
      key        = "model"
      value_type = "STRING"
    }
  }
  label_extractors = {
    kind  = "EXTRACT(jsonPayload.error_kind)"
    type  = "EXTRACT(jsonPayload.error_type)"
    model = "EXTRACT(jsonPayload.model)"
  }
  depends_on = [google_project_service.api]
}

# Generation refused for quota (adgenius.tenancy.limits.reserve_quota), by quota; no tenant label.
resource "google_logging_metric" "quota_refusals" {
  name   = "adgenius/quota_refusals"
  filter = local.quota_log
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    labels {
      key        = "quota"
      value_type = "STRING"
    }
  }
  label_extractors = { quota = "EXTRACT(jsonPayload.quota_kind)" }
  depends_on       = [google_project_service.api]
}

# A sweep that had to re-plan, re-assemble or fail work means a job was stuck.
resource "google_logging_metric" "stuck_jobs" {
  name   = "adgenius/stuck_jobs"
  filter = "${local.sweep_log} AND (jsonPayload.sweep.replanned>0 OR jsonPayload.sweep.reassembled>0 OR jsonPayload.sweep.failed>0)"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
  }
  depends_on = [google_project_service.api]
}

resource "google_monitoring_alert_policy" "dead_letters" {
  display_name          = "AdGenius ${var.env}: messages on a dead-letter topic"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.channels
  conditions {
    display_name = "undelivered dead letters > 0"
    condition_threshold {
      filter          = "resource.type=\"pubsub_subscription\" AND metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.labels.subscription_id=monitoring.regex.full_match(\".*-dead-letter-inspect\")"
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }
  documentation {
    content   = "${local.alert_docs} Inspect with the API's dead-letter endpoints, fix the cause, then redrive."
    mime_type = "text/markdown"
  }
  depends_on = [google_pubsub_subscription.dead_letter_inspect]
}

resource "google_monitoring_alert_policy" "api_5xx" {
  display_name          = "AdGenius ${var.env}: API 5xx rate above 2%"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = local.channels
  conditions {
    display_name = "5xx / all API responses > 0.02 over 5 min"
    condition_threshold {
      filter             = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/${google_logging_metric.api_requests.name}\" AND metric.labels.status_class=\"5\""
      denominator_filter = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/${google_logging_metric.api_requests.name}\""
      comparison         = "COMPARISON_GT"
      threshold_value    = 0.02
      duration           = "300s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
      denominator_aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  documentation {
    content   = "${local.alert_docs} Every 5xx is logged with 'unhandled error' and its stack trace."
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "api_latency" {
  display_name          = "AdGenius ${var.env}: API p95 latency above 2 s"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = local.channels
  conditions {
    display_name = "p95 of latency_ms > 2000 for 10 min"
    condition_threshold {
      filter          = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/${google_logging_metric.api_latency.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 2000
      duration        = "600s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_PERCENTILE_95"
      }
    }
  }
  documentation {
    content   = local.alert_docs
    mime_type = "text/markdown"
  }
}

resource "google_monitoring_alert_policy" "stuck_jobs" {
  display_name          = "AdGenius ${var.env}: the sweeper found stuck jobs"
  combiner              = "OR"
  severity              = "WARNING"
  notification_channels = local.channels
  conditions {
    display_name = "sweeps that re-planned, re-assembled or failed work > 0 in 15 min"
    condition_threshold {
      filter          = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/${google_logging_metric.stuck_jobs.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period     = "900s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  documentation {
    content   = "${local.alert_docs} The sweep log entry's `sweep` field says what was re-driven."
    mime_type = "text/markdown"
  }
}

# Spend: a budget on the project with alerts at 50/90/100 % (and forecast 100 %).
resource "google_billing_budget" "spend" {
  count           = var.billing_account != "" && var.monthly_budget > 0 ? 1 : 0
  billing_account = var.billing_account
  display_name    = "AdGenius ${var.env}"
  budget_filter {
    projects = ["projects/${data.google_project.this.number}"]
  }
  amount {
    specified_amount {
      units = tostring(var.monthly_budget)
    }
  }
  threshold_rules {
    threshold_percent = 0.5
  }
  threshold_rules {
    threshold_percent = 0.9
  }
  threshold_rules {
    threshold_percent = 1.0
  }
  threshold_rules {
    threshold_percent = 1.0
    spend_basis       = "FORECASTED_SPEND"
  }
  all_updates_rule {
    monitoring_notification_channels = local.channels
  }
}

resource "google_monitoring_dashboard" "ops" {
  dashboard_json = jsonencode({
    displayName = "AdGenius ${var.env}"
    mosaicLayout = {
      columns = 12
      tiles = [
        for i, t in [
          { title = "API requests by status class", filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.api_requests.name}\"", aligner = "ALIGN_RATE", reducer = "REDUCE_SUM", group = ["metric.label.status_class"] },
          { title = "API latency p95 (ms)", filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.api_latency.name}\"", aligner = "ALIGN_DELTA", reducer = "REDUCE_PERCENTILE_95", group = [] },
          { title = "Jobs finished by outcome", filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.jobs_finished.name}\"", aligner = "ALIGN_SUM", reducer = "REDUCE_SUM", group = ["metric.label.status"] },
          { title = "Sweeps that found stuck jobs", filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.stuck_jobs.name}\"", aligner = "ALIGN_SUM", reducer = "REDUCE_SUM", group = [] },
          { title = "Item latency p95 by model (ms)", filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.item_latency.name}\"", aligner = "ALIGN_DELTA", reducer = "REDUCE_PERCENTILE_95", group = ["metric.label.model"] },
          { title = "Provider errors by kind", filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.provider_errors.name}\"", aligner = "ALIGN_SUM", reducer = "REDUCE_SUM", group = ["metric.label.kind", "metric.label.type"] },
          { title = "Quota refusals by quota", filter = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.quota_refusals.name}\"", aligner = "ALIGN_SUM", reducer = "REDUCE_SUM", group = ["metric.label.quota"] },
          { title = "Messages sent to dead-letter topics", filter = "metric.type=\"pubsub.googleapis.com/subscription/dead_letter_message_count\" resource.type=\"pubsub_subscription\"", aligner = "ALIGN_SUM", reducer = "REDUCE_SUM", group = ["resource.label.subscription_id"] },
          { title = "Dead letters waiting", filter = "metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\" resource.type=\"pubsub_subscription\" resource.label.subscription_id=monitoring.regex.full_match(\".*-dead-letter-inspect\")", aligner = "ALIGN_MAX", reducer = "REDUCE_SUM", group = ["resource.label.subscription_id"] },
          { title = "Cloud Tasks queue depth", filter = "metric.type=\"cloudtasks.googleapis.com/queue/depth\" resource.type=\"cloud_tasks_queue\"", aligner = "ALIGN_MAX", reducer = "REDUCE_SUM", group = ["resource.label.queue_id"] },
          ] : {
          xPos   = (i % 2) * 6
          yPos   = floor(i / 2) * 4
          width  = 6
          height = 4
          widget = {
            title = t.title
            xyChart = {
              dataSets = [{
                plotType = "LINE"
                timeSeriesQuery = {
                  timeSeriesFilter = {
                    filter = t.filter
                    aggregation = {
                      alignmentPeriod    = "60s"
                      perSeriesAligner   = t.aligner
                      crossSeriesReducer = t.reducer
                      groupByFields      = t.group
                    }
                  }
                }
              }]
            }
          }
        }
      ]
    }
  })
  depends_on = [google_project_service.api]
}
