# AdGenius on Google Cloud. Everything is created from manifest.json, which is rendered from
# shared/adgenius/manifest.py (`python -m adgenius.deploy manifest`); a unit test fails when the
# two disagree, so functions, topics, queues, triggers and schedules are declared once.
#
#   python -m adgenius.deploy manifest && python -m adgenius.deploy bundle --out build/functions
#   terraform -chdir=terraform init
#   terraform -chdir=terraform apply -var project=MY_PROJECT -var qdrant_url=https://...

terraform {
  required_version = ">= 1.6"
  required_providers {
    google = { source = "hashicorp/google", version = ">= 6.0" }
  }
}

provider "google" {
  project = var.project
  region  = var.region
}

locals {
  manifest  = jsondecode(file("${path.module}/manifest.json"))
  functions = { for f in local.manifest.functions : f.name => f }
  topics    = { for t in local.manifest.topics : t.name => t }
  queues    = { for q in local.manifest.queues : q.name => q }
  schedules = { for s in local.manifest.schedules : s.name => s }

  pubsub_functions    = { for k, f in local.functions : k => f if f.kind == "pubsub" }
  firestore_functions = { for k, f in local.functions : k => f if f.kind == "firestore" }
  public_functions    = { for k, f in local.functions : k => f if f.kind == "http" && k == "api" }

  functions_base_url = "https://${var.region}-${var.project}.cloudfunctions.net"
  common_env = {
    ADGENIUS_MODE                    = "gcp"
    ADGENIUS_PROJECT_ID              = var.project
    ADGENIUS_REGION                  = var.region
    ADGENIUS_BUCKET                  = google_storage_bucket.media.name
    ADGENIUS_TASKS_LOCATION          = var.region
    ADGENIUS_FUNCTIONS_BASE_URL      = local.functions_base_url
    ADGENIUS_INVOKER_SERVICE_ACCOUNT = google_service_account.invoker.email
    ADGENIUS_ENGINE                  = "vertex"
    ADGENIUS_VERTEX_LOCATION         = var.region
    QDRANT_URL                       = var.qdrant_url
  }
}

# ---------------------------------------------------------------- identities
resource "google_service_account" "runtime" {
  account_id   = "adgenius-runtime"
  display_name = "AdGenius functions"
}

resource "google_service_account" "invoker" {
  account_id   = "adgenius-invoker"
  display_name = "Pub/Sub push, Cloud Tasks and Scheduler calls into AdGenius functions"
}

resource "google_project_iam_member" "runtime_roles" {
  for_each = toset([
    "roles/datastore.user", "roles/pubsub.publisher", "roles/cloudtasks.enqueuer",
    "roles/storage.objectAdmin", "roles/aiplatform.user", "roles/firebaseauth.admin",
    "roles/logging.logWriter", "roles/iam.serviceAccountTokenCreator",
  ])
  project = var.project
  role    = each.value
  member  = "serviceAccount:${google_service_account.runtime.email}"
}

resource "google_service_account_iam_member" "runtime_acts_as_invoker" {
  service_account_id = google_service_account.invoker.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.runtime.email}"
}

# ---------------------------------------------------------------- storage
resource "google_storage_bucket" "media" {
  name                        = "${var.project}-adgenius-media"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
}

resource "google_storage_bucket" "sources" {
  name                        = "${var.project}-adgenius-sources"
  location                    = var.region
  uniform_bucket_level_access = true
}

resource "google_storage_bucket_object" "source" {
  for_each = local.functions
  name     = "functions/${each.key}-${filemd5("${var.bundle_dir}/${each.key}.zip")}.zip"
  bucket   = google_storage_bucket.sources.name
  source   = "${var.bundle_dir}/${each.key}.zip"
}

# ---------------------------------------------------------------- pub/sub
resource "google_pubsub_topic" "topic" {
  for_each = local.topics
  name     = each.key
}

resource "google_pubsub_topic" "dead_letter" {
  for_each = { for k, t in local.topics : k => t if t.dead_letter_topic != null }
  name     = each.value.dead_letter_topic
}

resource "google_pubsub_subscription" "dead_letter_inspect" {
  for_each                   = google_pubsub_topic.dead_letter
  name                       = local.topics[each.key].dead_letter_inspection
  topic                      = each.value.id
  message_retention_duration = "604800s"
  ack_deadline_seconds       = 60
}

# ---------------------------------------------------------------- cloud tasks
resource "google_cloud_tasks_queue" "queue" {
  for_each = local.queues
  name     = each.key
  location = var.region
  rate_limits {
    max_dispatches_per_second = each.value.max_dispatches_per_second
    max_concurrent_dispatches = each.value.max_concurrent_dispatches
  }
  retry_config {
    max_attempts  = each.value.max_attempts
    min_backoff   = "${each.value.min_backoff_s}s"
    max_backoff   = "${each.value.max_backoff_s}s"
    max_doublings = 16
  }
}

# ---------------------------------------------------------------- functions
resource "google_cloudfunctions2_function" "fn" {
  for_each = local.functions
  name     = replace(each.key, "_", "-")
  location = var.region

  build_config {
    runtime     = "python311"
    entry_point = each.value.entry_point
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.source[each.key].name
      }
    }
  }

  service_config {
    available_memory      = "${each.value.memory_mb}M"
    timeout_seconds       = each.value.timeout_s
    max_instance_count    = each.value.max_instances
    service_account_email = google_service_account.runtime.email
    environment_variables = local.common_env
    ingress_settings      = "ALLOW_ALL"
  }

  dynamic "event_trigger" {
    for_each = each.value.kind == "pubsub" ? [each.value] : []
    content {
      trigger_region        = var.region
      event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
      pubsub_topic          = google_pubsub_topic.topic[event_trigger.value.topic].id
      retry_policy          = "RETRY_POLICY_RETRY"
      service_account_email = google_service_account.invoker.email
    }
  }

  dynamic "event_trigger" {
    for_each = each.value.kind == "firestore" ? [each.value] : []
    content {
      trigger_region        = var.firestore_location
      event_type            = event_trigger.value.event
      retry_policy          = "RETRY_POLICY_RETRY"
      service_account_email = google_service_account.invoker.email
      event_filters {
        attribute = "database"
        value     = "(default)"
      }
      event_filters {
        attribute = "document"
        value     = event_trigger.value.document
        operator  = "match-path-pattern"
      }
    }
  }
}

# Only the API is public; task handlers, scheduled and event functions accept the invoker only.
resource "google_cloud_run_service_iam_member" "public_api" {
  for_each = local.public_functions
  location = var.region
  service  = google_cloudfunctions2_function.fn[each.key].name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_service_iam_member" "invoker" {
  for_each = { for k, f in local.functions : k => f if !contains(keys(local.public_functions), k) }
  location = var.region
  service  = google_cloudfunctions2_function.fn[each.key].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.invoker.email}"
}

# Pub/Sub may move poison messages to the dead-letter topics.
data "google_project" "this" {}

resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = google_pubsub_topic.dead_letter
  topic    = each.value.id
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

# ---------------------------------------------------------------- schedules
resource "google_cloud_scheduler_job" "schedule" {
  for_each = local.schedules
  name     = each.key
  region   = var.region
  schedule = each.value.cron
  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.fn[each.value.function].service_config[0].uri
    oidc_token {
      service_account_email = google_service_account.invoker.email
    }
  }
}
