resource "google_pubsub_topic" "topic" {
  #checkov:skip=CKV_GCP_83:messages carry ids only (tenant, job, run), never content; Google-managed encryption at rest suffices and CMEK would add Cloud KMS keys to run
  for_each                   = local.topics
  name                       = each.key
  message_retention_duration = "86400s"
  depends_on                 = [google_project_service.api]
}

resource "google_pubsub_topic" "dead_letter" {
  #checkov:skip=CKV_GCP_83:the same id-only messages as the source topics; Google-managed encryption at rest
  for_each                   = local.dead_letter_topics
  name                       = each.value.dead_letter_topic
  message_retention_duration = "604800s"
  depends_on                 = [google_project_service.api]
}

# Poison messages wait here for an operator (inspection, then redrive through the API).
resource "google_pubsub_subscription" "dead_letter_inspect" {
  for_each                   = local.dead_letter_topics
  name                       = each.value.dead_letter_inspection
  topic                      = google_pubsub_topic.dead_letter[each.key].id
  message_retention_duration = "604800s"
  retain_acked_messages      = false
  ack_deadline_seconds       = 60
  expiration_policy {
    ttl = "" # never expires, even when nobody pulls for 31 days
  }
}

# The delivery itself: one push subscription per subscribing function, as provision.py creates
# it locally, with OIDC tokens of the invoker (the function is private) and the manifest's retry
# backoff and dead-letter policy.
resource "google_pubsub_subscription" "push" {
  for_each             = local.push_subscriptions
  name                 = each.key
  topic                = google_pubsub_topic.topic[each.value.topic].id
  ack_deadline_seconds = each.value.ack_deadline_s
  push_config {
    push_endpoint = google_cloudfunctions2_function.fn[each.value.function].service_config[0].uri
    oidc_token {
      service_account_email = google_service_account.invoker.email
      audience              = google_cloudfunctions2_function.fn[each.value.function].service_config[0].uri
    }
  }
  retry_policy {
    minimum_backoff = "${each.value.min_backoff_s}s"
    maximum_backoff = "${each.value.max_backoff_s}s"
  }
  dynamic "dead_letter_policy" {
    for_each = each.value.dead_letter_topic == null ? [] : [each.value]
    content {
      dead_letter_topic     = google_pubsub_topic.dead_letter[each.value.topic].id
      max_delivery_attempts = dead_letter_policy.value.max_delivery_attempts
    }
  }
  expiration_policy {
    ttl = ""
  }
  depends_on = [google_service_account_iam_member.pubsub_mints_invoker_tokens]
}

# Pub/Sub itself moves a poison message: publisher on the dead-letter topic and subscriber on
# the source subscription, for its service agent.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = google_pubsub_topic.dead_letter
  topic    = each.value.id
  role     = "roles/pubsub.publisher"
  member   = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_forwarder" {
  for_each     = { for k, s in local.push_subscriptions : k => s if s.dead_letter_topic != null }
  subscription = google_pubsub_subscription.push[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}
