resource "google_cloudfunctions2_function" "fn" {
  #checkov:skip=CKV_GCP_124:only the HTTP functions (api behind Hosting, diagnostics called by the deployer) allow all ingress; the rest are internal-only (see ingress_settings)
  for_each = local.functions
  name     = each.value.deployed_name
  location = var.region
  labels   = { app = "adgenius", env = var.env, role = each.value.service_account }

  build_config {
    runtime         = "python311"
    entry_point     = each.value.entry_point
    service_account = google_service_account.builder.id
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
    max_instance_count    = local.prod ? each.value.max_instances : min(each.value.max_instances, 5)
    min_instance_count    = local.prod ? each.value.min_instances : 0 # warm only where a person waits
    service_account_email = google_service_account.fn[each.value.service_account].email
    # functions-framework runs THREADS requests at once (default 4 per vCPU): as many as the
    # instance is sent, or the rest wait in gunicorn where the autoscaler cannot see them.
    environment_variables = each.value.concurrency > 1 ? merge(local.common_env, { THREADS = tostring(each.value.concurrency) }) : local.common_env
    # Pub/Sub push, Cloud Tasks, Scheduler and Eventarc of the same project count as internal.
    ingress_settings               = each.value.kind == "http" ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision = true
    # From the manifest: more than one request per instance needs a whole vCPU (gen2).
    max_instance_request_concurrency = each.value.concurrency
    available_cpu                    = each.value.concurrency > 1 ? "1" : null
    dynamic "secret_environment_variables" {
      for_each = toset(each.value.secrets)
      content {
        key        = secret_environment_variables.value
        project_id = var.project
        secret     = google_secret_manager_secret.secret[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  # Firestore triggers are Eventarc; Pub/Sub functions get their explicit push subscription
  # (pubsub.tf), so they have no event_trigger here.
  dynamic "event_trigger" {
    for_each = each.value.kind == "firestore" ? [each.value] : []
    content {
      trigger_region        = var.firestore_location
      event_type            = event_trigger.value.event
      retry_policy          = "RETRY_POLICY_RETRY"
      service_account_email = google_service_account.invoker.email
      event_filters {
        attribute = "database"
        value     = google_firestore_database.default.name
      }
      event_filters {
        attribute = "document"
        value     = event_trigger.value.document
        operator  = "match-path-pattern"
      }
    }
  }

  depends_on = [
    google_project_iam_member.builder,
    google_storage_bucket_iam_member.builder_reads_sources,
    google_project_iam_member.fn,
    google_secret_manager_secret_iam_member.accessor,
    google_secret_manager_secret_version.qdrant_api_key,
  ]
}

# Only the API is public; task handlers, push endpoints, scheduled and event functions accept the
# invoker's OIDC tokens only.
resource "google_cloud_run_service_iam_member" "public_api" {
  #checkov:skip=CKV_GCP_102:the API is the product's public endpoint; every route but health and OpenAPI checks a Firebase ID token or an API key itself
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
